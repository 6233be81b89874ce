package main

import (
	"context"
	"flag"
	"io"
	"log/slog"
	"net/url"
	"os"

	"github.com/coursekit/coursekit/lrs/sqlstore"
)

// defaultDB is the store when neither --db nor COURSEKIT_DB says otherwise.
const defaultDB = "sqlite:./coursekit.db"

// dbFlag adds the --db flag every store-opening command shares; COURSEKIT_DB
// is its default.
func dbFlag(fs *flag.FlagSet) *string {
	def := os.Getenv("COURSEKIT_DB")
	if def == "" {
		def = defaultDB
	}
	dsn := def
	fs.Var(dsnValue{&dsn}, "db", "the database `DSN`: sqlite:PATH or a postgres:// URL (default from COURSEKIT_DB)")
	return &dsn
}

// dsnValue is --db's value. It shows a URL's password as xxxxx, so that
// --help does not print the one COURSEKIT_DB holds.
type dsnValue struct{ dsn *string }

func (v dsnValue) String() string {
	if v.dsn == nil {
		return ""
	}
	u, err := url.Parse(*v.dsn)
	if err != nil {
		return "(a URL that does not parse)"
	}
	return u.Redacted()
}

func (v dsnValue) Set(s string) error {
	*v.dsn = s
	return nil
}

// openStore opens the store, bringing its schema up to date.
func openStore(ctx context.Context, dsn string, logger *slog.Logger) (*sqlstore.Store, error) {
	return sqlstore.Open(ctx, dsn, logger)
}

// newLogger writes structured logs to w, as text or JSON.
func newLogger(w io.Writer, format string) *slog.Logger {
	if format == "json" {
		return slog.New(slog.NewJSONHandler(w, nil))
	}
	return slog.New(slog.NewTextHandler(w, nil))
}
