// Package scoring is the club's one scoring engine (spec 01-domain §3): it turns
// a season's rules and a tournament's weigh-in into penalties, net weights, places,
// points, boat totals, big-bass and payout outcomes, and it derives the season views
// (Angler of the Year, Heavy Stringer, Big Bass of the Year, statistics, profiles).
//
// The package is pure: no database, no clock, no I/O except the JSON helpers used by
// `sabc score`. The store recomputes an outcome inside the transaction of every write
// that can change it and persists it; every page reads that stored outcome, so there
// is no second formula anywhere.
//
// Callers identify rows by their own int64 IDs and give display names; every output
// maps back by ID and comes back in input order. Weights are hundredths of a pound
// (Weight) and money is cents (Cents); floats are never used.
//
// Decisions taken where the spec is silent are written next to the code that makes
// them and collected in docs/scoring.md.
package scoring
