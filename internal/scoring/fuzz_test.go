package scoring

import (
	"bytes"
	"strings"
	"testing"
)

func FuzzParseLength(f *testing.F) {
	for _, s := range []string{"14.5", "14 1/2", "14-4", "9.875", "31", "", "-1", "14 9/8", "14-", "1/2", "99999999999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		l, err := ParseLength(s)
		if err != nil {
			if err.Error() == "" {
				t.Errorf("empty error for %q", s)
			}
			return
		}
		if l < 0 || l > maxLength {
			t.Errorf("ParseLength(%q) = %d, out of range", s, l)
		}
		if w := WeightOf(l); w < 0 || w > 18_00 {
			t.Errorf("WeightOf(%d) = %s", l, w)
		}
		// A printed length reads back to itself.
		if back, err := ParseLength(l.String()); err != nil || back != l {
			t.Errorf("round trip %q -> %q -> %d, %v", s, l.String(), back, err)
		}
	})
}

func FuzzDecodeScoreInput(f *testing.F) {
	f.Add(`{"points_count": true, "entries": [{"angler": "A", "member": true, "fish": 5, "gross": "12.45", "big_bass": "4.10"}]}`)
	f.Add(`{"rules": {"tie_break": ["big_bass"], "place_style": "dense", "big_bass_min": "4"}, "entries": [{"angler": "A", "buy_in": true}, {"angler": "B", "dq": true, "locked": {"place": 2, "points": 3}}]}`)
	f.Add(`{"entries": [{"angler": "A", "fish": 9}]}`)
	f.Add(`{"rules": {"max_points": -1}}`)
	f.Add(`[]`)
	f.Fuzz(func(t *testing.T, in string) {
		r, tt, err := DecodeScoreInput(strings.NewReader(in))
		if err != nil {
			if es, ok := err.(Errors); !ok || len(es) == 0 || es[0].Field == "" {
				t.Errorf("error without a field: %#v", err)
			}
			return
		}
		o, err := Score(r, tt)
		if err != nil {
			t.Fatalf("decoded input refused by Score: %v", err)
		}
		var buf bytes.Buffer
		if err := EncodeScoreOutput(&buf, o); err != nil {
			t.Fatal(err)
		}
	})
}
