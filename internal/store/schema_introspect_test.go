package store_test

import (
	"database/sql"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// A live schema as dialect-neutral text: table → sorted facts, one a line
// ("column email text not null default ”", "index people_name (last_name,first_name)",
// "unique (season_year,position,person_id)", "check on (email,first_name)",
// "fk person_id → people(id) on delete cascade"). Both databases are read
// from their catalogs after migrating, so what is compared is what the
// migrations built, not what their files say.
type liveSchema map[string][]string

func (s liveSchema) add(table, format string, args ...any) {
	s[table] = append(s[table], fmt.Sprintf(format, args...))
}

func (s liveSchema) sort() {
	for _, facts := range s {
		slices.Sort(facts)
	}
}

// typeClass folds the two dialects' spellings of one storage class together:
// BIGINT identity vs INTEGER PRIMARY KEY, TIMESTAMPTZ vs TIMESTAMP, BYTEA vs BLOB.
func typeClass(t string) string {
	t = strings.ToLower(t)
	switch {
	case strings.Contains(t, "int"):
		return "int"
	case strings.Contains(t, "char"), strings.Contains(t, "text"), strings.Contains(t, "clob"):
		return "text"
	case strings.HasPrefix(t, "bool"):
		return "bool"
	case t == "date":
		return "date"
	case strings.HasPrefix(t, "timestamp"), strings.HasPrefix(t, "datetime"):
		return "timestamp"
	case t == "blob", t == "bytea":
		return "bytes"
	case strings.Contains(t, "real"), strings.Contains(t, "double"), strings.Contains(t, "float"),
		strings.Contains(t, "numeric"):
		return "real"
	}
	return t
}

var pgCast = regexp.MustCompile(`::[a-z_ ]+(\[\])?`)

// normExpr makes an index key comparable: PostgreSQL adds casts ('x'::text)
// and its own spacing; SQLite keeps the text as written.
func normExpr(e string) string {
	e = pgCast.ReplaceAllString(lowerOutsideQuotes(e), "")
	return strings.NewReplacer(" ", "", "\n", "", "\t", "", `"`, "").Replace(e)
}

// normLoose is normExpr for defaults and predicates, where PostgreSQL also
// adds parentheses of its own.
func normLoose(e string) string {
	return strings.NewReplacer("(", "", ")", "").Replace(normExpr(e))
}

// normDefault: no default and NULL are the same; identity sequences are no
// default (the id is the row's key on both); booleans may be 1/0 in SQLite.
func normDefault(d sql.NullString, class string) string {
	v := normLoose(d.String)
	switch {
	case !d.Valid, v == "null", strings.HasPrefix(v, "nextval"):
		return "none"
	case class == "bool" && (v == "1" || v == "true" || v == "'t'"):
		return "true"
	case class == "bool" && (v == "0" || v == "false" || v == "'f'"):
		return "false"
	}
	return v
}

// lowerOutsideQuotes lowercases keywords and names but keeps string
// literals as written: DEFAULT 'UTC' and DEFAULT 'utc' differ.
func lowerOutsideQuotes(e string) string {
	var b strings.Builder
	last := 0
	for _, loc := range sqlString.FindAllStringIndex(e, -1) {
		b.WriteString(strings.ToLower(e[last:loc[0]]) + e[loc[0]:loc[1]])
		last = loc[1]
	}
	return b.String() + strings.ToLower(e[last:])
}

func addColumn(s liveSchema, table, name, typ string, notNull bool, def sql.NullString) {
	class := typeClass(typ)
	null := "null"
	if notNull {
		null = "not null"
	}
	s.add(table, "column %s %s %s default %s", name, class, null, normDefault(def, class))
}

// sqliteSchema reads SQLite's catalog: pragma table_info, index_list,
// index_xinfo and foreign_key_list, and CHECKs from sqlite_master's text
// (SQLite keeps no other record of them).
func sqliteSchema(t *testing.T, db *sql.DB) liveSchema {
	t.Helper()
	s := liveSchema{}
	tables := map[string]string{}
	rows, err := db.Query(`SELECT name, sql FROM sqlite_master WHERE type = 'table'
		AND name NOT LIKE 'sqlite_%' AND name <> 'goose_db_version'`)
	must(t, err)
	for rows.Next() {
		var name, text string
		must(t, rows.Scan(&name, &text))
		tables[name] = text
	}
	must(t, rows.Err())
	rows.Close()
	for table, text := range tables {
		var cols, pk []string
		pkPos := map[int]string{}
		query(t, db, func(r *sql.Rows) error {
			var cid, notNull, pkN int
			var name, typ string
			var def sql.NullString
			if err := r.Scan(&cid, &name, &typ, &notNull, &def, &pkN); err != nil {
				return err
			}
			cols = append(cols, name)
			if pkN > 0 {
				pkPos[pkN] = name
			}
			// A primary key column is never NULL on PostgreSQL; SQLite's
			// pragma reports INTEGER PRIMARY KEY (the rowid) as nullable.
			addColumn(s, table, name, typ, notNull == 1 || pkN > 0, def)
			return nil
		}, `SELECT cid, name, type, "notnull", dflt_value, pk FROM pragma_table_info($1)`, table)
		for i := 1; i <= len(pkPos); i++ {
			pk = append(pk, pkPos[i])
		}
		s.add(table, "primary key (%s)", strings.Join(pk, ","))
		sqliteIndexes(t, db, s, table)
		query(t, db, func(r *sql.Rows) error {
			var id, seq int
			var parent, from, onDelete string
			var to sql.NullString
			if err := r.Scan(&id, &seq, &parent, &from, &to, &onDelete); err != nil {
				return err
			}
			s.add(table, "fk %s → %s(%s) on delete %s", from, parent, to.String, strings.ToLower(onDelete))
			return nil
		}, `SELECT id, seq, "table", "from", "to", on_delete FROM pragma_foreign_key_list($1)`, table)
		for _, cs := range checkColumns(text, cols) {
			s.add(table, "check on (%s)", cs)
		}
	}
	s.sort()
	return s
}

// sqliteIndexes lists a table's indexes: UNIQUE constraints (origin "u",
// auto-named) by their columns, created indexes (origin "c") by name.
func sqliteIndexes(t *testing.T, db *sql.DB, s liveSchema, table string) {
	type index struct {
		name, origin string
		unique, part bool
	}
	var idx []index
	query(t, db, func(r *sql.Rows) error {
		var i index
		if err := r.Scan(&i.name, &i.unique, &i.origin, &i.part); err != nil {
			return err
		}
		idx = append(idx, i)
		return nil
	}, `SELECT name, "unique", origin, partial FROM pragma_index_list($1)`, table)
	for _, i := range idx {
		if i.origin == "pk" {
			continue
		}
		var text sql.NullString
		must(t, db.QueryRow(`SELECT sql FROM sqlite_master WHERE type = 'index' AND name = $1`, i.name).Scan(&text))
		exprs, where := indexParts(text.String)
		var keys []string
		query(t, db, func(r *sql.Rows) error {
			var seq, cid int
			var name sql.NullString
			var desc bool
			if err := r.Scan(&seq, &cid, &name, &desc); err != nil {
				return err
			}
			k := name.String
			if cid == -2 && seq < len(exprs) { // an expression: its text is in the CREATE INDEX
				k = exprs[seq]
			}
			if desc {
				k += " desc"
			}
			keys = append(keys, normExpr(k))
			return nil
		}, `SELECT seqno, cid, name, "desc" FROM pragma_index_xinfo($1) WHERE key ORDER BY seqno`, i.name)
		addIndex(s, table, i.name, i.origin == "u", i.unique, keys, where)
	}
}

func addIndex(s liveSchema, table, name string, constraint, unique bool, keys []string, where string) {
	cols := strings.Join(keys, ",")
	if constraint { // named by the database, not by us
		s.add(table, "unique (%s)", cols)
		return
	}
	kind := "index"
	if unique {
		kind = "unique index"
	}
	line := fmt.Sprintf("%s %s (%s)", kind, name, cols)
	if where != "" {
		line += " where " + normLoose(where)
	}
	s.add(table, "%s", line)
}

// indexParts splits "CREATE INDEX n ON t (a, lower(b)) WHERE c" into its
// key expressions and its predicate.
func indexParts(text string) (exprs []string, where string) {
	open := strings.Index(text, "(")
	if open < 0 {
		return nil, ""
	}
	depth, start := 0, open+1
	for i := open; i < len(text); i++ {
		switch text[i] {
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				exprs = append(exprs, strings.TrimSpace(text[start:i]))
				rest := strings.TrimSpace(text[i+1:])
				if len(rest) > 5 && strings.EqualFold(rest[:5], "where") {
					where = rest[5:]
				}
				return exprs, where
			}
		case ',':
			if depth == 1 {
				exprs = append(exprs, strings.TrimSpace(text[start:i]))
				start = i + 1
			}
		}
	}
	return exprs, ""
}

var (
	sqlString = regexp.MustCompile(`'(?:[^']|'')*'`)
	checkKw   = regexp.MustCompile(`(?i)\bcheck\s*\(`)
	ident     = regexp.MustCompile(`[A-Za-z_][A-Za-z0-9_]*`)
)

// checkColumns finds each CHECK (...) in a CREATE TABLE text and returns
// the table columns it names, as sorted comma lists (one per CHECK).
func checkColumns(createTable string, cols []string) []string {
	text := sqlString.ReplaceAllString(createTable, "''") // literals may hold "check (" or column names
	var out []string
	for _, loc := range checkKw.FindAllStringIndex(text, -1) {
		depth, i := 1, loc[1]
		for ; i < len(text) && depth > 0; i++ {
			switch text[i] {
			case '(':
				depth++
			case ')':
				depth--
			}
		}
		var named []string
		for _, w := range ident.FindAllString(text[loc[1]:i], -1) {
			if w = strings.ToLower(w); slices.Contains(cols, w) && !slices.Contains(named, w) {
				named = append(named, w)
			}
		}
		slices.Sort(named)
		out = append(out, strings.Join(named, ","))
	}
	return out
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// query runs q and calls scan for each row.
func query(t *testing.T, db *sql.DB, scan func(*sql.Rows) error, q string, args ...any) {
	t.Helper()
	rows, err := db.Query(q, args...)
	must(t, err)
	defer rows.Close()
	for rows.Next() {
		must(t, scan(rows))
	}
	must(t, rows.Err())
}
