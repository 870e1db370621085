package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"sabc/internal/cache"
	"sabc/internal/club"
	"sabc/internal/scoring"
)

// rescore recomputes a tournament's outcome with the engine and stores it,
// inside the caller's transaction (see rescoreSet).
func (s *Store) rescore(ctx context.Context, tx *sql.Tx, tournamentID int64) error {
	return s.rescoreSet(ctx, tx, []int64{tournamentID})
}

// scoringTx is tx for writes that rescore. On PostgreSQL its first statement
// takes a transaction-scoped advisory lock that serializes scoring writes.
// Without it two weigh-in saves under READ COMMITTED each score a snapshot
// missing the other's row, and the last commit stores places computed
// without the first one's result (or the season rebuilds collide). Taking it
// first, before the write's own row locks, is what keeps it deadlock-free.
// SQLite needs nothing: its single writer connection serializes writes.
func (s *Store) scoringTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	return s.scoringTxThen(ctx, fn, nil)
}

// scoringTxThen is scoringTx with txThen's committed.
func (s *Store) scoringTxThen(ctx context.Context, fn func(tx *sql.Tx) error, committed func()) error {
	return s.txThen(ctx, func(tx *sql.Tx) error {
		if err := s.lockScoring(ctx, tx); err != nil {
			return err
		}
		return fn(tx)
	}, committed)
}

// scoringLock is the advisory lock key of scoring writes. It is paired with
// a hash of the current schema, so installations (and test schemas) sharing
// one PostgreSQL database do not wait for each other.
const scoringLock = 0x5C02E

// lockScoring takes the scoring lock (re-entrant within a transaction).
func (s *Store) lockScoring(ctx context.Context, tx *sql.Tx) error {
	if !s.Dialect.Postgres() {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(hashtext(current_schema()), $1)`,
		int32(scoringLock)); err != nil {
		return fmt.Errorf("scoring lock: %w", err)
	}
	return nil
}

// rescoreSet rescores the given tournaments and stores their outcomes, walking
// every tournament in date order (the order big-bass money carries in) from
// the first one given: a tournament is rescored when it was given or when the
// carry coming out of the one before it changed. Then the season views (AoY,
// awards) are rebuilt once for every season of a rescored complete
// tournament and for the extra seasons. The views count complete tournaments
// only, so a weigh-in save skips the rebuild (a sixth of its cost); a write
// that moves a tournament in or out of complete names its season as extra.
func (s *Store) rescoreSet(ctx context.Context, tx *sql.Tx, ids []int64, extraSeasons ...int) error {
	return s.rescoreKeep(ctx, tx, ids, nil, nil, extraSeasons...)
}

// rescoreKeep is rescoreSet that also hands back the first given tournament
// as scored in keep (nil: nobody wants it), so a write can answer with its
// standings without reading them again; hint (nil: none) lets the first
// given tournament's rescore use and leave cached rows (rowscache.go).
func (s *Store) rescoreKeep(ctx context.Context, tx *sql.Tx, ids []int64, keep *Scored, hint *rowsHint,
	extraSeasons ...int) error {
	// Normally already held (scoringTx); taken here too for callers using plain
	// tx, before any read of scoring input, so every later statement (READ
	// COMMITTED: a new snapshot each) sees the previous writer's commit.
	if err := s.lockScoring(ctx, tx); err != nil {
		return err
	}
	pending := make(map[int64]bool, len(ids))
	for _, id := range ids {
		pending[id] = true
	}
	order, err := tournamentOrderFrom(ctx, tx, ids)
	if err != nil {
		return err
	}
	seasons := map[int]bool{}
	for _, y := range extraSeasons {
		seasons[y] = true
	}
	carryChanged := false
	for _, id := range order {
		if !pending[id] && !carryChanged {
			continue
		}
		var kept *Scored
		var rows *rowsHint
		if id == ids[0] {
			kept, rows = keep, hint
		}
		res, err := s.rescoreOne(ctx, tx, id, kept, rows)
		if err != nil {
			return fmt.Errorf("rescore tournament %d: %w", id, err)
		}
		delete(pending, id)
		if res.counts {
			seasons[res.season] = true
		}
		carryChanged = res.carryChanged
	}
	for id := range pending {
		return fmt.Errorf("rescore tournament %d: %w", id, ErrNotFound)
	}
	years := make([]int, 0, len(seasons))
	for y := range seasons {
		years = append(years, y)
	}
	slices.Sort(years)
	for _, year := range years {
		if err := s.rebuildSeason(ctx, tx, year); err != nil {
			return fmt.Errorf("season %d views: %w", year, err)
		}
	}
	return nil
}

// tournamentOrderFrom lists tournament ids in carry-over order (by date,
// then id) from the earliest date of the given ones: the walk in
// rescoreSet starts at the first given tournament, so the ten seasons
// before a weigh-in need not be read (and sorted) inside its transaction.
// None when no given id exists or none is given (a season rebuild alone).
func tournamentOrderFrom(ctx context.Context, q querier, ids []int64) ([]int64, error) {
	if len(ids) == 0 {
		return nil, nil // and "IN ()" is no SQL on PostgreSQL
	}
	args := make([]any, len(ids))
	marks := make([]string, len(ids))
	for i, id := range ids {
		args[i], marks[i] = id, fmt.Sprintf("$%d", i+1)
	}
	return idColumn(ctx, q, `SELECT t.id FROM tournaments t JOIN events e ON e.id = t.event_id
		WHERE e.event_date >= (SELECT MIN(e1.event_date) FROM tournaments t1 JOIN events e1 ON e1.id = t1.event_id
			WHERE t1.id IN (`+strings.Join(marks, ", ")+`))
		ORDER BY e.event_date, t.id`, args...)
}

type rescored struct {
	season       int
	counts       bool // complete: the season views count it
	carryChanged bool // the big-bass carry passed to the next tournament changed
}

// loadRules decodes a season's RuleSet and PayoutSchedule.
func loadRules(se club.Season) (scoring.RuleSet, scoring.PayoutSchedule, error) {
	rules, pay := scoring.DefaultRules(), scoring.DefaultPayouts()
	if err := json.Unmarshal([]byte(se.RulesJSON), &rules); err != nil {
		return rules, pay, fmt.Errorf("season %d rules: %w", se.Year, err)
	}
	if err := json.Unmarshal([]byte(se.PayoutJSON), &pay); err != nil {
		return rules, pay, fmt.Errorf("season %d payouts: %w", se.Year, err)
	}
	return rules, pay, nil
}

func (s *Store) rescoreOne(ctx context.Context, tx *sql.Tx, id int64, keep *Scored, hint *rowsHint) (rescored, error) {
	t, err := scanTournament(tx.QueryRowContext(ctx, `SELECT `+tournamentCols+tournamentFrom+` WHERE t.id = $1`, id))
	if err != nil {
		return rescored{}, mapErr(err)
	}
	se, err := seasonTx(ctx, tx, t.SeasonYear)
	if err != nil {
		return rescored{}, err
	}
	rules, schedule, err := loadRules(se)
	if err != nil {
		return rescored{}, err
	}
	results, err := hint.results(ctx, tx, id)
	if err != nil {
		return rescored{}, err
	}
	boats, err := queryBoats(ctx, tx, id)
	if err != nil {
		return rescored{}, err
	}
	o, err := scoring.Score(rules, engineTournament(t, results, boats))
	if err != nil {
		return rescored{}, err
	}
	prev, carryIn, err := previous(ctx, tx, t)
	if err != nil {
		return rescored{}, err
	}
	pay, err := scoring.Pay(o, schedule, carryIn)
	if err != nil {
		return rescored{}, err
	}
	if len(results) == 0 {
		// Nobody fished it (scheduled or cancelled): the money passes through
		// untouched, so the next pot does not read "carried over from" a
		// tournament that never had a weigh-in.
		pay.BigBass.CarryOut = carryIn
	}
	if err := storeOutcome(ctx, tx, results, boats, o, pay); err != nil {
		return rescored{}, err
	}
	oldPayJSON, oldBigBassJSON, err := storedPayouts(ctx, tx, id)
	if err != nil {
		return rescored{}, err
	}
	oldPay, err := decodePayouts(id, oldPayJSON)
	if err != nil {
		return rescored{}, err
	}
	if err := storeTournamentOutcome(ctx, tx, t, prev, o, pay, oldPayJSON+oldBigBassJSON); err != nil {
		return rescored{}, err
	}
	if keep != nil {
		*keep = scoredOf(t, results, boats, o.BigBass)
	}
	if hint != nil {
		hint.out = &savedRows{tournamentID: id, rows: results}
	}
	anglers := make([]int64, len(results))
	for i, r := range results {
		anglers[i] = r.PersonID
	}
	s.touch(tx, cache.ResultWrite(t.SeasonYear, t.ID, t.LakeID, anglers...)...)
	changed := oldPay.BigBass.CarryOut.Amount != pay.BigBass.CarryOut.Amount ||
		strings.Join(oldPay.BigBass.CarryOut.From, "|") != strings.Join(pay.BigBass.CarryOut.From, "|")
	return rescored{season: t.SeasonYear, counts: t.Status == club.StatusComplete, carryChanged: changed}, nil
}

// engineTournament maps stored rows to the engine's input. Entry IDs are
// person ids (one result per angler per tournament), boat IDs are boat ids.
func engineTournament(t club.Tournament, results []club.Result, boats []club.Boat) scoring.Tournament {
	st := scoring.Tournament{ID: t.ID, Name: t.Name, Format: scoring.Format(t.Format), PointsCount: t.PointsCount,
		FishLimit: t.FishLimit}
	for _, r := range results {
		e := scoring.Entry{ID: r.PersonID, Name: r.Name(), SortName: r.LastName + ", " + r.FirstName,
			Member: r.WasMember, Fish: r.Fish, Dead: r.Dead, LateMinutes: r.LateMinutes,
			OtherPenalty: scoring.Weight(r.OtherPenalty), PenaltyReason: r.OtherReason, Gross: scoring.Weight(r.Gross),
			BigBass: scoring.Weight(r.BigBass), BuyIn: r.BuyIn, DQ: r.Disqualified, DQReason: r.DQReason,
			DQPointsAllowed: r.DQPointsAllowed, ConfirmHeavy: true}
		if r.Locked {
			e.Locked = &scoring.Lock{Place: deref(r.LockedPlace), Points: deref(r.LockedPoints)}
		}
		st.Entries = append(st.Entries, e)
	}
	for _, b := range boats {
		eb := scoring.Boat{ID: b.ID, WeighIn: scoring.Entry{ID: b.ID, Fish: b.Fish, Dead: b.Dead,
			LateMinutes: b.LateMinutes, OtherPenalty: scoring.Weight(b.OtherPenalty), Gross: scoring.Weight(b.Gross),
			BigBass: scoring.Weight(b.BigBass), BuyIn: b.BuyIn, DQ: b.Disqualified, DQReason: b.DQReason,
			DQPointsAllowed: b.DQPointsAllowed, ConfirmHeavy: true}}
		for _, a := range b.Anglers {
			eb.Anglers = append(eb.Anglers, a.PersonID)
		}
		st.Boats = append(st.Boats, eb)
	}
	return st
}

func deref(p *int) int {
	if p == nil {
		return 0
	}
	return *p
}

// previous finds the tournament before t in carry-over order (date, then id)
// and the big-bass carry that comes in from it.
func previous(ctx context.Context, tx *sql.Tx, t club.Tournament) (prev int64, carry scoring.Carry, err error) {
	var prevJSON string
	err = tx.QueryRowContext(ctx, `SELECT t.id, t.payout_json FROM tournaments t JOIN events e ON e.id = t.event_id
		WHERE e.event_date < $1 OR (e.event_date = $1 AND t.id < $2) ORDER BY e.event_date DESC, t.id DESC LIMIT 1`,
		t.Date, t.ID).Scan(&prev, &prevJSON)
	if err == sql.ErrNoRows {
		return 0, carry, nil
	}
	if err != nil {
		return 0, carry, err
	}
	p, err := decodePayouts(prev, prevJSON)
	if err != nil {
		return 0, carry, err
	}
	return prev, p.BigBass.CarryOut, nil
}

// decodePayouts reads a tournament's stored payout JSON. A row that does not
// decode is an error, never an empty payout: read as zero it would silently
// drop the big-bass carry that the next tournaments' pots are built from.
func decodePayouts(id int64, text string) (scoring.Payouts, error) {
	var p scoring.Payouts
	if err := json.Unmarshal([]byte(text), &p); err != nil {
		return p, fmt.Errorf("tournament %d: stored payout_json does not decode: %w", id, err)
	}
	return p, nil
}

// storedPayouts reads the payout and big-bass outcome stored by the last rescore.
func storedPayouts(ctx context.Context, tx *sql.Tx, id int64) (payout, bigBass string, err error) {
	err = tx.QueryRowContext(ctx, `SELECT payout_json, big_bass_json FROM tournaments WHERE id = $1`, id).
		Scan(&payout, &bigBass)
	return payout, bigBass, err
}

// storeOutcome writes each result's and boat's derived columns, skipping rows
// whose stored outcome is already right (most rows on a typical single edit).
// The rows in results and boats get the outcome too, as now stored.
func storeOutcome(ctx context.Context, tx *sql.Tx, results []club.Result, boats []club.Boat, o scoring.Outcome,
	pay scoring.Payouts) error {
	// Place money goes to boats when the tournament has boats; big-bass money
	// goes to boats only in team format (o.BigBass.OnBoats). A boat's row
	// keeps the boat's money; each angler's row their own plus their share.
	boatPrize := map[int64]int64{}
	for _, p := range pay.Places {
		if pay.OnBoats {
			boatPrize[p.ID] += int64(p.Amount)
		}
	}
	for _, p := range pay.BigBass.Winners {
		if o.BigBass.OnBoats {
			boatPrize[p.ID] += int64(p.Amount)
		}
	}
	anglerPrize := scoring.AnglerPrizes(o, pay)
	for i, r := range results {
		res := o.Results[i]
		place, points := placeOf(res.Scored), pointsOf(res.Scored)
		note := tieText(res.Ties)
		prize := int64(anglerPrize[r.PersonID])
		same := r.OutFish == res.Fish && r.OutDead == res.Dead && r.OutGross == int64(res.Gross) &&
			r.OutBigBass == int64(res.BigBass) && r.OutBuyIn == res.BuyIn &&
			r.OutDQ == res.DQ && r.OutDQReason == res.DQReason && r.Penalty == int64(res.Penalty) &&
			r.Net == int64(res.Net) && eqPtr(r.Place, place) && eqPtr(r.Points, points) && r.TieNote == note &&
			r.PrizeCents == prize
		applyResultOutcome(&results[i], res, place, points, note, prize)
		if same {
			continue
		}
		if _, err := tx.ExecContext(ctx, `UPDATE results SET out_fish = $2, out_big_bass = $3, out_buy_in = $4,
			out_dq = $5, out_dq_reason = $6, penalty = $7, net = $8, place = $9, points = $10, tie_note = $11,
			prize_cents = $12, out_dead = $13, out_gross = $14 WHERE id = $1`, r.ID, res.Fish, int64(res.BigBass),
			res.BuyIn, res.DQ, res.DQReason, int64(res.Penalty), int64(res.Net), nullable(place), nullable(points), note,
			prize, res.Dead, int64(res.Gross)); err != nil {
			return err
		}
	}
	byID := map[int64]scoring.BoatResult{}
	for _, b := range o.Boats {
		byID[b.ID] = b
	}
	for i, b := range boats {
		res := byID[b.ID]
		prize := boatPrize[b.ID]
		same := b.TotalFish == res.Fish && b.TotalDead == res.Dead && b.TotalBigBass == int64(res.BigBass) &&
			b.Penalty == int64(res.Penalty) && b.Net == int64(res.Net) && b.IsDQ == res.DQ && b.IsBuyIn == res.BuyIn &&
			eqPtr(b.Place, placeOf(res.Scored)) && eqPtr(b.Points, pointsOf(res.Scored)) && b.PrizeCents == prize
		applyBoatOutcome(&boats[i], res, prize)
		if same {
			continue
		}
		if _, err := tx.ExecContext(ctx, `UPDATE boats SET total_fish = $2, total_dead = $3, total_big_bass = $4,
			penalty = $5, net = $6, is_dq = $7, is_buy_in = $8, place = $9, points = $10, prize_cents = $11
			WHERE id = $1`, b.ID, res.Fish, res.Dead, int64(res.BigBass), int64(res.Penalty), int64(res.Net),
			res.DQ, res.BuyIn, nullable(placeOf(res.Scored)), nullable(pointsOf(res.Scored)), prize); err != nil {
			return err
		}
	}
	return nil
}

func placeOf(s scoring.Scored) *int {
	if s.Place == 0 {
		return nil
	}
	p := s.Place
	return &p
}

func pointsOf(s scoring.Scored) *int {
	if !s.Pointed {
		return nil
	}
	p := s.Points
	return &p
}

func eqPtr(a, b *int) bool { return (a == nil && b == nil) || (a != nil && b != nil && *a == *b) }

func tieText(notes []scoring.TieNote) string {
	parts := make([]string, len(notes))
	for i, n := range notes {
		parts[i] = n.String()
	}
	return strings.Join(parts, "; ")
}

// storeTournamentOutcome writes the tournament's money, statistics and payout rows.
// The payout rows are rewritten only when the payouts or the big-bass outcome
// (whose OnBoats decides who a big-bass row names) differ from storedJSON.
func storeTournamentOutcome(ctx context.Context, tx *sql.Tx, t club.Tournament, prev int64, o scoring.Outcome,
	pay scoring.Payouts, storedJSON string) error {
	stats, _ := json.Marshal(scoring.Stats(o))
	payJSON, _ := json.Marshal(pay)
	bb, _ := json.Marshal(o.BigBass)
	carryFrom := int64(0)
	if pay.BigBass.Carried.Amount > 0 {
		carryFrom = prev
	}
	if _, err := tx.ExecContext(ctx, `UPDATE tournaments SET entries = $2, pot_total_cents = $3,
		big_bass_pot_cents = $4, big_bass_carry_in_cents = $5, big_bass_carry_from_id = $6,
		big_bass_carried_out = $7, stats_json = $8, payout_json = $9, big_bass_json = $10 WHERE id = $1`,
		t.ID, pay.Fees, int64(pay.Total), int64(pay.BigBass.Total), int64(pay.BigBass.Carried.Amount),
		nullID(carryFrom), pay.BigBass.CarryOut.Amount > 0, string(stats), string(payJSON), string(bb)); err != nil {
		return err
	}
	if string(payJSON)+string(bb) == storedJSON {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM payouts WHERE tournament_id = $1`, t.ID); err != nil {
		return err
	}
	type row struct {
		kind     string
		position int
		id       int64
		cents    scoring.Cents
		note     string
	}
	var rows []row
	for _, p := range pay.Places {
		rows = append(rows, row{"place", p.Place, p.ID, p.Amount, p.Name})
	}
	for _, p := range pay.BigBass.Winners {
		rows = append(rows, row{"big-bass", 0, p.ID, p.Amount, p.Name})
	}
	rows = append(rows, row{"club", 0, 0, pay.Club + pay.Unawarded, ""}, row{"charity", 0, 0, pay.Charity, ""})
	for _, r := range rows {
		onBoats := pay.OnBoats
		if r.kind == "big-bass" {
			onBoats = o.BigBass.OnBoats
		}
		person, boat := r.id, int64(0)
		if onBoats && r.id != 0 {
			person, boat = 0, r.id
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO payouts (tournament_id, kind, position, person_id, boat_id,
			amount_cents, note) VALUES ($1, $2, $3, $4, $5, $6, $7)`, t.ID, r.kind, r.position, nullID(person),
			nullID(boat), int64(r.cents), r.note); err != nil {
			return err
		}
	}
	return nil
}
