package web

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"reflect"
	"testing"
)

// The hand-written encoder of the standings document writes exactly the
// bytes json.Marshal writes, for documents whose every field (found by
// reflection, so a field added later is filled too) holds random values:
// strings with HTML characters, quotes, control characters, invalid UTF-8
// and U+2028; nil and set pointers; nil, empty and full slices.
func TestStandingsJSONIsEncodingJSON(t *testing.T) {
	rng := rand.New(rand.NewPCG(12, 30))
	for i := range 2000 {
		var d resultsDoc
		fillRandom(rng, reflect.ValueOf(&d).Elem(), 0)
		want, err := json.Marshal(d)
		if err != nil {
			t.Fatal(err)
		}
		if got := d.appendJSON(nil); !bytes.Equal(got, want) {
			t.Fatalf("document %d:\nappendJSON   %s\njson.Marshal %s", i, got, want)
		}
	}
}

// Every string json escapes in its own way, one at a time.
func TestStandingsJSONEscapesStringsAsEncodingJSON(t *testing.T) {
	cases := []string{"", "plain", `"quoted"`, `back\slash`, "<b>&amp;</b>", "tab\tnl\nret\rbs\bff\f",
		"\x00\x01\x1f\x7f", "bad \xff\xfe utf8", "cut \xe2\x82", "line\u2028para\u2029", "é ñ 漢 🎣", "\u00a0"}
	for _, s := range cases {
		want, _ := json.Marshal(s)
		if got := appendJSONString(nil, s); !bytes.Equal(got, want) {
			t.Errorf("%q: got %s, want %s", s, got, want)
		}
	}
}

var trickyRunes = []string{"a", "Z", "0", " ", `"`, `\`, "<", ">", "&", "\n", "\t", "\x00", "\x1f", "\x7f",
	"\xff", "\xe2\x82", "é", "漢", "🎣", "\u2028", "\u2029", "'", "/"}

// fillRandom sets every field of v to a random value.
func fillRandom(rng *rand.Rand, v reflect.Value, depth int) {
	switch v.Kind() {
	case reflect.String:
		var s string
		for range rng.IntN(6) {
			s += trickyRunes[rng.IntN(len(trickyRunes))]
		}
		if rng.IntN(4) == 0 {
			s = "" // omitempty fields need their empty case often
		}
		v.SetString(s)
	case reflect.Bool:
		v.SetBool(rng.IntN(2) == 0)
	case reflect.Int, reflect.Int64, reflect.Int32:
		n := rng.Int64N(2000) - 1000
		if rng.IntN(4) == 0 {
			n = 0
		}
		v.SetInt(n)
	case reflect.Pointer:
		if rng.IntN(3) == 0 {
			v.SetZero()
			return
		}
		p := reflect.New(v.Type().Elem())
		fillRandom(rng, p.Elem(), depth)
		v.Set(p)
	case reflect.Slice:
		switch rng.IntN(4) {
		case 0:
			v.SetZero()
			return
		case 1:
			v.Set(reflect.MakeSlice(v.Type(), 0, 0))
			return
		}
		n := 1 + rng.IntN(4)
		s := reflect.MakeSlice(v.Type(), n, n)
		for i := range n {
			fillRandom(rng, s.Index(i), depth+1)
		}
		v.Set(s)
	case reflect.Struct:
		for i := range v.NumField() {
			fillRandom(rng, v.Field(i), depth+1)
		}
	default:
		panic("fillRandom: no case for " + v.Kind().String())
	}
}
