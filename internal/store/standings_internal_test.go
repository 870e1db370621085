package store

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestIntListDecodesLikeJSON: the stored cumulative points decode to what
// json.Unmarshal gave, for what json.Marshal writes and for what it never
// writes (spaces, plus signs, leading zeros, null, garbage).
func TestIntListDecodesLikeJSON(t *testing.T) {
	for _, s := range []string{"[25,49,73]", "[]", "[0]", "[-5,0,198]", "[1, 2]", "[+5]", "[05]", "[-0]", "[-05]",
		"null", "", "[", "[1,]", "[1,,2]", "[1.5]", "{}", "[12345678901]"} {
		var want []int
		json.Unmarshal([]byte(s), &want)
		if got := intList(s); !cmp.Equal(got, want) {
			t.Errorf("intList(%q) = %#v, json.Unmarshal gives %#v", s, got, want)
		}
	}
}
