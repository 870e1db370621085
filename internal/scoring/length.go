package scoring

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Length is a fish length in eighths of an inch, the precision of the TPWD table.
type Length int

const (
	tableFirst = 10 * 8 // 10 in, the first table row
	tableEnd   = 30 * 8 // one past 29 7/8 in
	maxLength  = 40 * 8 // longer than any bass; a typo, not a fish
)

// lengthTable is the Texas Parks & Wildlife length-weight table for Texas largemouth
// bass (spec §3.9) in hundredths of a pound: rows 10–29 in, columns 0/8 … 7/8.
var lengthTable = [20][8]Weight{
	{48, 50, 52, 54, 56, 58, 61, 63},
	{66, 68, 71, 73, 76, 79, 81, 84},
	{87, 90, 93, 97, 100, 103, 107, 110},
	{114, 117, 121, 125, 129, 132, 137, 141},
	{145, 149, 154, 158, 163, 167, 172, 177},
	{182, 187, 192, 197, 202, 208, 213, 219},
	{225, 231, 236, 242, 249, 255, 261, 268},
	{274, 281, 288, 295, 302, 309, 316, 323},
	{331, 339, 346, 354, 362, 370, 378, 387},
	{395, 404, 413, 422, 431, 440, 449, 458},
	{468, 478, 487, 497, 508, 518, 528, 539},
	{549, 560, 571, 582, 594, 605, 617, 628},
	{640, 652, 664, 677, 689, 702, 715, 728},
	{741, 754, 768, 781, 795, 809, 823, 838},
	{852, 867, 882, 897, 912, 927, 943, 959},
	{975, 991, 1007, 1023, 1040, 1057, 1074, 1091},
	{1109, 1126, 1144, 1162, 1180, 1199, 1217, 1236},
	{1255, 1274, 1294, 1313, 1333, 1353, 1373, 1394},
	{1415, 1435, 1456, 1478, 1499, 1521, 1543, 1565},
	{1587, 1610, 1633, 1656, 1679, 1703, 1726, 1750},
}

// WeightOf returns the table weight of a length: below 10 in weighs 0.00, above the
// table 18.00. Lengths are already whole eighths (ParseLength rounds down).
func WeightOf(l Length) Weight {
	switch {
	case l < tableFirst:
		return 0
	case l >= tableEnd:
		return 18_00
	}
	i := int(l - tableFirst)
	return lengthTable[i/8][i%8]
}

// LengthOf returns the table length nearest to a weight over the whole table (no
// gaps between rows); at equal distance the shorter length. Below 0.48 lb it is
// 10 in, above 17.50 lb 30 in.
func LengthOf(w Weight) Length {
	switch {
	case w < lengthTable[0][0]:
		return tableFirst
	case w > lengthTable[19][7]:
		return tableEnd
	}
	best, bestDiff := Length(tableFirst), Weight(-1)
	for l := Length(tableFirst); l < tableEnd; l++ {
		d := WeightOf(l) - w
		if d < 0 {
			d = -d
		}
		if bestDiff < 0 || d < bestDiff {
			best, bestDiff = l, d
		}
	}
	return best
}

// PaperCatch returns the gross weight and big bass of a paper-event catch: the sum
// and the maximum of the table weights (spec §3.2).
func PaperCatch(lengths []Length) (gross, bigBass Weight) {
	for _, l := range lengths {
		w := WeightOf(l)
		gross += w
		bigBass = max(bigBass, w)
	}
	return gross, bigBass
}

// ParseLength reads a length entered as "14.5", "14 1/2" or "14-4" (inches-eighths),
// or whole inches "14". It rounds down to the eighth, as the table does.
func ParseLength(s string) (Length, error) {
	s = strings.TrimSpace(s)
	var inches, eighths int
	var err error
	switch f := strings.Fields(s); {
	case s == "":
		return 0, errors.New("length is empty")
	case strings.HasPrefix(s, "-"):
		return 0, errors.New("length must not be negative")
	case len(f) == 2:
		inches, err = smallInt(f[0])
		if err == nil {
			eighths, err = fraction(f[1])
		}
	case len(f) == 1 && strings.Contains(s, "-"):
		in, e, _ := strings.Cut(s, "-")
		inches, err = smallInt(in)
		if err == nil {
			eighths, err = smallInt(e)
		}
		if err == nil && eighths > 7 {
			err = fmt.Errorf("%q: eighths after the dash go from 0 to 7", s)
		}
	case len(f) == 1:
		inches, eighths, err = decimalInches(s)
	default:
		err = errors.New("too many parts")
	}
	if err != nil {
		return 0, fmt.Errorf("length %q: %v (enter 14.5, 14 1/2 or 14-4)", s, err)
	}
	l := Length(inches*8 + eighths)
	if l > maxLength {
		return 0, fmt.Errorf("length %q is longer than 40 inches", s)
	}
	return l, nil
}

// smallInt parses up to three digits, enough for any length and short of overflow.
func smallInt(s string) (int, error) {
	if s == "" || len(s) > 3 || !digits(s) {
		return 0, fmt.Errorf("%q is not a whole number", s)
	}
	return strconv.Atoi(s)
}

// fraction parses "n/d" (n < d) into eighths, rounded down.
func fraction(s string) (int, error) {
	ns, ds, ok := strings.Cut(s, "/")
	n, err1 := smallInt(ns)
	d, err2 := smallInt(ds)
	if !ok || err1 != nil || err2 != nil || d == 0 || n >= d {
		return 0, fmt.Errorf("%q is not a fraction like 1/2", s)
	}
	return n * 8 / d, nil
}

// decimalInches parses "14.5" (up to four decimals) into inches and eighths.
func decimalInches(s string) (int, int, error) {
	whole, frac, _ := strings.Cut(s, ".")
	in, err := smallInt(whole)
	if err != nil {
		return 0, 0, err
	}
	if len(frac) > 4 || !digits(frac) {
		return 0, 0, fmt.Errorf("%q is not a decimal length", s)
	}
	f, _ := strconv.Atoi("0" + frac)
	scale := 1
	for range frac {
		scale *= 10
	}
	return in, f * 8 / scale, nil
}

// String formats the length as inches and a reduced fraction: "14 1/2", "14".
func (l Length) String() string {
	in, e := int(l)/8, int(l)%8
	if e == 0 {
		return strconv.Itoa(in)
	}
	d := 8
	for e%2 == 0 {
		e, d = e/2, d/2
	}
	return fmt.Sprintf("%d %d/%d", in, e, d)
}

// Decimal formats the length in decimal inches: "14.5", "12.875", "13.0".
func (l Length) Decimal() string {
	s := fmt.Sprintf("%d.%03d", int(l)/8, int(l)%8*125)
	s = strings.TrimRight(s, "0")
	if strings.HasSuffix(s, ".") {
		s += "0"
	}
	return s
}
