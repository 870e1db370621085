package web

import (
	"strconv"
	"unicode/utf8"
)

// The standings document is encoded by hand: a weigh-in PUT builds it inside
// the writer transaction (its answer is stored with the Idempotency-Key), so
// every microsecond there is waited for by the officers queued behind it, and
// encoding/json's reflection over 200 rows was about a tenth of a PUT's CPU.
// The bytes are exactly json.Marshal's (TestStandingsJSONIsEncodingJSON):
// field order and names as the struct tags, HTML-escaped strings, null for
// nil pointers and slices, omitempty on boat_id and tie_note. A field added
// to the structs must be added here too; that test fails until it is.

// appendJSON appends json.Marshal(d)'s bytes to b.
func (d *resultsDoc) appendJSON(b []byte) []byte {
	t := &d.Tournament
	b = append(b, `{"tournament":{"id":`...)
	b = strconv.AppendInt(b, t.ID, 10)
	b = appendField(b, "name", t.Name)
	b = appendField(b, "date", t.Date)
	b = appendField(b, "status", t.Status)
	b = appendField(b, "format", t.Format)
	b = appendBoolField(b, "paper", t.Paper)
	b = appendBoolField(b, "points_count", t.PointsCount)
	b = appendField(b, "lake", t.Lake)
	b = appendBoolField(b, "hide_live", t.HideLive)
	b = append(b, '}')
	b = appendBoolField(b, "official", d.Official)
	b = appendBoolField(b, "hidden", d.Hidden)
	b = appendArray(append(b, `,"results":`...), d.Results, (*apiResult).appendJSON)
	b = appendArray(append(b, `,"boats":`...), d.Boats, (*apiBoat).appendJSON)
	b = append(b, `,"big_bass":{"weight":`...)
	b = appendJSONString(b, d.BigBass.Weight)
	b = append(b, `,"leaders":`...)
	b = appendStrings(b, d.BigBass.Leaders)
	return append(b, "}}"...)
}

func (r *apiResult) appendJSON(b []byte) []byte {
	b = append(b, `{"person_id":`...)
	b = strconv.AppendInt(b, r.PersonID, 10)
	b = appendField(b, "name", r.Name)
	b = appendBoolField(b, "was_member", r.Member)
	b = appendIntPtrField(b, "place", r.Place)
	b = appendIntPtrField(b, "points", r.Points)
	b = appendIntField(b, "fish", int64(r.Fish))
	b = appendIntField(b, "dead", int64(r.Dead))
	b = appendIntField(b, "late_minutes", int64(r.LateMinutes))
	b = appendField(b, "gross", r.Gross)
	b = appendField(b, "big_bass", r.BigBass)
	b = appendField(b, "other_penalty", r.OtherPenalty)
	b = appendField(b, "other_penalty_reason", r.OtherPenaltyReason)
	b = appendField(b, "penalty", r.Penalty)
	b = appendField(b, "net", r.Net)
	b = append(b, `,"lengths":`...)
	b = appendStrings(b, r.Lengths)
	b = appendBoolField(b, "buy_in", r.BuyIn)
	b = appendBoolField(b, "dq", r.DQ)
	b = appendField(b, "dq_reason", r.DQReason)
	b = appendBoolField(b, "dq_points_allowed", r.DQPointsAllowed)
	if r.BoatID != 0 {
		b = appendIntField(b, "boat_id", r.BoatID)
	}
	b = appendField(b, "prize", r.Prize)
	if r.TieNote != "" {
		b = appendField(b, "tie_note", r.TieNote)
	}
	b = appendIntField(b, "version", int64(r.Version))
	b = appendField(b, "updated_at", r.UpdatedAt)
	return append(b, '}')
}

func (bt *apiBoat) appendJSON(b []byte) []byte {
	b = append(b, `{"id":`...)
	b = strconv.AppendInt(b, bt.ID, 10)
	b = append(b, `,"anglers":`...)
	if bt.Anglers == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i, a := range bt.Anglers {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"person_id":`...)
			b = strconv.AppendInt(b, a.PersonID, 10)
			b = appendField(b, "name", a.Name)
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	b = appendIntPtrField(b, "place", bt.Place)
	b = appendIntPtrField(b, "points", bt.Points)
	b = appendIntField(b, "fish", int64(bt.Fish))
	b = appendIntField(b, "dead", int64(bt.Dead))
	b = appendField(b, "net", bt.Net)
	b = appendField(b, "big_bass", bt.BigBass)
	b = appendBoolField(b, "buy_in", bt.BuyIn)
	b = appendBoolField(b, "dq", bt.DQ)
	b = appendField(b, "prize", bt.Prize)
	b = appendIntField(b, "version", int64(bt.Version))
	b = appendBoolField(b, "complete", bt.Complete)
	return append(b, '}')
}

// appendArray appends xs as a JSON array (null when nil), each element by elem.
func appendArray[T any](b []byte, xs []T, elem func(*T, []byte) []byte) []byte {
	if xs == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i := range xs {
		if i > 0 {
			b = append(b, ',')
		}
		b = elem(&xs[i], b)
	}
	return append(b, ']')
}

// appendKey appends `,"name":` (names here are plain ASCII, never escaped).
func appendKey(b []byte, name string) []byte {
	b = append(b, ',', '"')
	b = append(b, name...)
	return append(b, '"', ':')
}

func appendField(b []byte, name, v string) []byte { return appendJSONString(appendKey(b, name), v) }

func appendBoolField(b []byte, name string, v bool) []byte {
	return strconv.AppendBool(appendKey(b, name), v)
}

func appendIntField(b []byte, name string, v int64) []byte {
	return strconv.AppendInt(appendKey(b, name), v, 10)
}

func appendIntPtrField(b []byte, name string, v *int) []byte {
	b = appendKey(b, name)
	if v == nil {
		return append(b, "null"...)
	}
	return strconv.AppendInt(b, int64(*v), 10)
}

func appendStrings(b []byte, ss []string) []byte {
	if ss == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i, s := range ss {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, s)
	}
	return append(b, ']')
}

const hexDigits = "0123456789abcdef"

// appendJSONString quotes s as encoding/json does with HTML escaping (its
// default): <, > and & as \u003c…, control characters, invalid UTF-8 as
// \ufffd, and U+2028/U+2029 (line breaks to JavaScript) escaped.
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '\\', '"':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
