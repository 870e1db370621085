package store

import "github.com/jackc/pgx/v5"

type pgconnConfig = pgx.ConnConfig

// stdlibParse parses a postgres URL; pgx reports a readable error for bad ones.
func stdlibParse(u string) (*pgx.ConnConfig, error) { return pgx.ParseConfig(u) }
