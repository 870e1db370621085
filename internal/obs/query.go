package obs

import (
	"context"
	"log/slog"
	"strings"
	"sync/atomic"
	"time"
)

// DefaultSlowQueryThreshold is SLOW_QUERY_THRESHOLD's default.
const DefaultSlowQueryThreshold = 100 * time.Millisecond

// QueryHook receives every statement executed through a wrapped driver
// (see WrapConnector). Its fields are read-only after the DB is opened.
//
// Counting into the request's QueryStats and the Prometheus metrics is
// always on: query budgets and the "GET never writes" tests depend on it and
// it costs two atomic adds. Enabled (MONITOR_QUERIES) only switches the
// detail: the slow-query log and the per-statement debug log.
type QueryHook struct {
	Logger        *slog.Logger  // nil: slog.Default()
	Metrics       *Metrics      // nil: no metrics
	SlowThreshold time.Duration // 0: DefaultSlowQueryThreshold
	Enabled       bool          // MONITOR_QUERIES: slow-query and debug logs
}

func (h *QueryHook) logger() *slog.Logger {
	if h != nil && h.Logger != nil {
		return h.Logger
	}
	return slog.Default()
}

// observe records one finished statement; alone is true outside a
// transaction, where a write is a writer transaction of its own.
func (h *QueryHook) observe(ctx context.Context, query string, d time.Duration, err error, alone bool) {
	write := IsWrite(query)
	if st := QueryStatsFrom(ctx); st != nil {
		st.add(d, write)
		if write && alone {
			st.addWriteTx()
		}
	}
	if h == nil {
		return
	}
	h.Metrics.ObserveQuery(queryOp(query), d, err)
	if !h.Enabled {
		return
	}
	thr := h.SlowThreshold
	if thr <= 0 {
		thr = DefaultSlowQueryThreshold
	}
	l := h.logger()
	if d >= thr {
		// The SQL text only: arguments may hold personal data.
		l.WarnContext(ctx, "slow query", "sql", compactSQL(query),
			"duration_ms", ms(d), "threshold_ms", ms(thr), "write", write)
	} else if l.Enabled(ctx, slog.LevelDebug) {
		l.DebugContext(ctx, "query", "sql", compactSQL(query), "duration_ms", ms(d))
	}
}

// QueryStats counts the statements of one request (or job run). It is safe
// for concurrent use: handlers may fan queries out to goroutines.
type QueryStats struct {
	parent *QueryStats
	count  atomic.Int64
	writes atomic.Int64
	txs    atomic.Int64 // writer transactions: begun, or a write statement on its own
	nanos  atomic.Int64
}

// WithQueryStats attaches a fresh QueryStats to ctx. Stats nest: a query
// counts in the innermost stats and in every enclosing one, so a test may
// wrap a whole request while the monitor middleware counts its own.
func WithQueryStats(ctx context.Context) (context.Context, *QueryStats) {
	st := &QueryStats{parent: QueryStatsFrom(ctx)}
	return context.WithValue(ctx, queryStatsKey, st), st
}

// QueryStatsFrom returns the innermost QueryStats in ctx, or nil.
func QueryStatsFrom(ctx context.Context) *QueryStats {
	st, _ := ctx.Value(queryStatsKey).(*QueryStats)
	return st
}

func (s *QueryStats) add(d time.Duration, write bool) {
	for ; s != nil; s = s.parent {
		s.count.Add(1)
		s.nanos.Add(int64(d))
		if write {
			s.writes.Add(1)
		}
	}
}

func (s *QueryStats) addWriteTx() {
	for ; s != nil; s = s.parent {
		s.txs.Add(1)
	}
}

// WriteTransactions is the number of writer transactions: transactions
// begun (not read-only) plus write statements run outside one (nil-safe).
// On SQLite each one queues for the single writer.
func (s *QueryStats) WriteTransactions() int {
	if s == nil {
		return 0
	}
	return int(s.txs.Load())
}

// Count is the number of statements executed (nil-safe).
func (s *QueryStats) Count() int {
	if s == nil {
		return 0
	}
	return int(s.count.Load())
}

// Writes is the number of statements that may change data (nil-safe).
func (s *QueryStats) Writes() int {
	if s == nil {
		return 0
	}
	return int(s.writes.Load())
}

// Duration is the summed statement time (nil-safe).
func (s *QueryStats) Duration() time.Duration {
	if s == nil {
		return 0
	}
	return time.Duration(s.nanos.Load())
}

// readKeywords start statements that never change table data. Everything
// else counts as a write: a new kind of statement is assumed to write until
// someone adds it here, which errs on the side of the GET-never-writes test.
var readKeywords = map[string]bool{
	"SELECT": true, "PRAGMA": true, "BEGIN": true, "COMMIT": true, "ROLLBACK": true,
	"END": true, "SAVEPOINT": true, "RELEASE": true, "EXPLAIN": true, "SHOW": true,
	"SET": true, "VALUES": true, "TABLE": true, "START": true, "FETCH": true,
	"DECLARE": true, "CLOSE": true, "LISTEN": true, "UNLISTEN": true, "RESET": true,
	"DISCARD": true, "DEALLOCATE": true, "ABORT": true,
}

var writeKeywords = map[string]bool{
	"INSERT": true, "UPDATE": true, "DELETE": true, "REPLACE": true, "MERGE": true, "UPSERT": true,
}

// IsWrite reports whether query may change data. A WITH statement is a
// write when its body contains a data-changing keyword.
func IsWrite(query string) bool {
	words := sqlWords(query)
	if len(words) == 0 {
		return false
	}
	if words[0] == "WITH" {
		for _, w := range words[1:] {
			if writeKeywords[w] {
				return true
			}
		}
		return false
	}
	return !readKeywords[words[0]]
}

// queryOp is the bounded "operation" metric label.
func queryOp(query string) string {
	words := sqlWords(query)
	if len(words) == 0 {
		return "other"
	}
	switch w := words[0]; w {
	case "SELECT", "INSERT", "UPDATE", "DELETE":
		return strings.ToLower(w)
	case "WITH":
		if IsWrite(query) {
			return "write"
		}
		return "select"
	case "BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE", "START", "END":
		return "transaction"
	}
	return "other"
}

// sqlWords returns the upper-cased words of query with comments and string
// literals skipped. Only the first word matters except for WITH, so it
// stops early for everything else.
func sqlWords(q string) []string {
	var words []string
	for i := 0; i < len(q); {
		c := q[i]
		switch {
		case c == '-' && i+1 < len(q) && q[i+1] == '-':
			for i < len(q) && q[i] != '\n' {
				i++
			}
		case c == '/' && i+1 < len(q) && q[i+1] == '*':
			end := strings.Index(q[i+2:], "*/")
			if end < 0 {
				return words
			}
			i += end + 4
		case c == '\'' || c == '"':
			end := strings.IndexByte(q[i+1:], c)
			if end < 0 {
				return words
			}
			i += end + 2
		case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_':
			j := i
			for j < len(q) && (q[j] >= 'a' && q[j] <= 'z' || q[j] >= 'A' && q[j] <= 'Z' || q[j] == '_' || q[j] >= '0' && q[j] <= '9') {
				j++
			}
			words = append(words, strings.ToUpper(q[i:j]))
			if words[0] != "WITH" {
				return words
			}
			i = j
		default:
			i++
		}
	}
	return words
}

// compactSQL folds whitespace and bounds the length so one log line stays
// one line.
func compactSQL(q string) string {
	q = strings.Join(strings.Fields(q), " ")
	if len(q) > 2000 {
		q = q[:2000] + "…"
	}
	return q
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
