package club

import "time"

// NthWeekday is the n-th (1-based) given weekday of a month.
func NthWeekday(year int, m time.Month, wd time.Weekday, n int) Date {
	first := time.Date(year, m, 1, 0, 0, 0, 0, time.UTC)
	offset := (int(wd) - int(first.Weekday()) + 7) % 7
	return Date{first.AddDate(0, 0, offset+7*(n-1))}
}

// LastWeekday is the last given weekday of a month (tournaments: last Sunday).
func LastWeekday(year int, m time.Month, wd time.Weekday) Date {
	last := time.Date(year, m+1, 0, 0, 0, 0, 0, time.UTC)
	offset := (int(last.Weekday()) - int(wd) + 7) % 7
	return Date{last.AddDate(0, 0, -offset)}
}

// Holiday is a US holiday shown on the club calendar.
type Holiday struct {
	Date    Date
	Name    string
	Federal bool // a US federal holiday (Easter is not)
}

// Observed is the weekday a federal holiday is observed on: a Saturday date
// is observed the Friday before, a Sunday date the Monday after (5 U.S.C.
// 6103), which can put Independence Day on a club meeting's first Monday.
func (h Holiday) Observed() Date {
	switch {
	case !h.Federal:
		return h.Date
	case h.Date.Weekday() == time.Saturday:
		return Date{h.Date.AddDate(0, 0, -1)}
	case h.Date.Weekday() == time.Sunday:
		return Date{h.Date.AddDate(0, 0, 1)}
	}
	return h.Date
}

// Holidays returns the year's US federal holidays (and a few the club closes
// for) on their real dates, e.g. Thanksgiving = 4th Thursday of November.
func Holidays(year int) []Holiday {
	d := func(m time.Month, day int) Date { return NewDate(year, m, day) }
	return []Holiday{
		{d(time.January, 1), "New Year's Day", true},
		{NthWeekday(year, time.January, time.Monday, 3), "Martin Luther King Jr. Day", true},
		{NthWeekday(year, time.February, time.Monday, 3), "Presidents' Day", true},
		{easter(year), "Easter", false},
		{LastWeekday(year, time.May, time.Monday), "Memorial Day", true},
		{d(time.June, 19), "Juneteenth", true},
		{d(time.July, 4), "Independence Day", true},
		{NthWeekday(year, time.September, time.Monday, 1), "Labor Day", true},
		{NthWeekday(year, time.October, time.Monday, 2), "Columbus Day", true},
		{d(time.November, 11), "Veterans Day", true},
		{NthWeekday(year, time.November, time.Thursday, 4), "Thanksgiving", true},
		{d(time.December, 25), "Christmas Day", true},
	}
}

// easter is Western Easter Sunday (anonymous Gregorian algorithm).
func easter(y int) Date {
	a, b, c := y%19, y/100, y%100
	d, e := b/4, b%4
	f := (b + 8) / 25
	g := (b - f + 1) / 3
	h := (19*a + b - d - g + 15) % 30
	i, k := c/4, c%4
	l := (32 + 2*e + 2*i - h - k) % 7
	m := (a + 11*h + 22*l) / 451
	month := (h + l - 7*m + 114) / 31
	day := (h+l-7*m+114)%31 + 1
	return NewDate(y, time.Month(month), day)
}
