package scoring

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Weight is a weight in hundredths of a pound. Integers keep sums exact: a season of
// results adds up to the same total on every page and in every export.
type Weight int64

// Cents is an amount of money in cents.
type Cents int64

// maxWeight bounds parsed input far above any fish or stringer, so arithmetic on
// parsed values (penalties, season sums) cannot overflow.
const maxWeight Weight = 99_999_99

// ParseWeight reads a weight such as "12.45", "12.5" or "12": no sign, at most two
// decimals, surrounding spaces ignored.
func ParseWeight(s string) (Weight, error) {
	v, err := parseHundredths(s, int64(maxWeight))
	return Weight(v), err
}

// ParseCents reads an amount such as "25", "25.00" or "$25.00".
func ParseCents(s string) (Cents, error) {
	v, err := parseHundredths(strings.TrimPrefix(strings.TrimSpace(s), "$"), 100_000_000_00)
	return Cents(v), err
}

// parseHundredths parses a non-negative decimal with at most two decimals into an
// integer count of hundredths, refusing anything above max.
func parseHundredths(s string, max int64) (int64, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, errors.New("is empty")
	}
	if s[0] == '-' {
		return 0, errors.New("must not be negative")
	}
	whole, frac, _ := strings.Cut(s, ".")
	if len(frac) > 2 {
		return 0, fmt.Errorf("%q has more than 2 decimals", s)
	}
	if whole == "" && frac == "" || !digits(whole) || !digits(frac) {
		return 0, fmt.Errorf("%q is not a number like 12.45", s)
	}
	if len(whole) > 12 {
		return 0, fmt.Errorf("%q is too large", s)
	}
	w, _ := strconv.ParseInt("0"+whole, 10, 64)
	f, _ := strconv.ParseInt((frac + "00")[:2], 10, 64)
	v := w*100 + f
	if v > max {
		return 0, fmt.Errorf("%q is too large", s)
	}
	return v, nil
}

func digits(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// String formats the weight with two decimals, e.g. "12.45".
func (w Weight) String() string { return hundredths(int64(w), "") }

// String formats the amount as dollars, e.g. "$12.34".
func (c Cents) String() string { return hundredths(int64(c), "$") }

// hundredths writes v/100 with two decimals, e.g. "-$3.05". Not with
// fmt.Sprintf: a standings document formats seven of these per row, and a
// weigh-in save builds one inside the writer transaction (docs/benchmarks.md).
func hundredths(v int64, unit string) string {
	var buf [32]byte
	b := buf[:0]
	u := uint64(v)
	if v < 0 {
		b, u = append(b, '-'), -u // two's complement: right for math.MinInt64 too
	}
	b = append(b, unit...)
	b = strconv.AppendUint(b, u/100, 10)
	cents := u % 100
	b = append(b, '.', byte('0'+cents/10), byte('0'+cents%10))
	return string(b)
}

// MarshalText writes the weight as "12.45", so JSON carries exact decimal strings.
func (w Weight) MarshalText() ([]byte, error) { return []byte(w.String()), nil }

// UnmarshalText reads the weight with ParseWeight.
func (w *Weight) UnmarshalText(b []byte) error {
	v, err := ParseWeight(string(b))
	if err != nil {
		return err
	}
	*w = v
	return nil
}
