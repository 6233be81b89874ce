package sqlstore

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
)

// migrationFiles holds migrations/DIALECT/NNNN_name.sql. Both dialects have
// the same file names, so a version means the same change on either.
//
//go:embed migrations
var migrationFiles embed.FS

// migration is one embedded SQL file; version is its name without .sql.
type migration struct {
	version string
	sql     string
}

// migrations returns the dialect's migrations in the order they apply.
func migrations(dialect string) ([]migration, error) {
	dir := path.Join("migrations", dialect)
	entries, err := fs.ReadDir(migrationFiles, dir)
	if err != nil {
		return nil, fmt.Errorf("read migrations: %w", err)
	}
	var ms []migration
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".sql") {
			continue
		}
		b, err := fs.ReadFile(migrationFiles, path.Join(dir, e.Name()))
		if err != nil {
			return nil, fmt.Errorf("read migration: %w", err)
		}
		ms = append(ms, migration{version: strings.TrimSuffix(e.Name(), ".sql"), sql: string(b)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	return ms, nil
}

// migrate applies the migrations that schema_migrations does not list, each
// in its own transaction, on one connection that holds the dialect's
// migration lock throughout: several LRS nodes may start at once.
func (s *Store) migrate(ctx context.Context) (err error) {
	ms, err := migrations(s.d.name)
	if err != nil {
		return err
	}
	conn, err := s.w.Connx(ctx)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	defer conn.Close()
	unlock, err := s.d.lockMigrations(ctx, conn)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	defer func() {
		if uerr := unlock(); uerr != nil && err == nil {
			err = fmt.Errorf("migrate: %w", uerr)
		}
	}()
	if _, err := conn.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    TEXT PRIMARY KEY,
		applied_at TEXT NOT NULL
	)`); err != nil {
		return fmt.Errorf("migrate: create schema_migrations: %w", err)
	}
	for _, m := range ms {
		applied, err := s.apply(ctx, conn, m)
		if err != nil {
			return fmt.Errorf("migrate %s: %w", m.version, err)
		}
		if applied {
			s.logger.InfoContext(ctx, "applied migration", "version", m.version, "dialect", s.d.name)
		}
	}
	if s.d.name == "sqlite" {
		// Let the query planner gather statistics it lacks (cheap, bounded).
		if _, err := conn.ExecContext(ctx, `PRAGMA optimize=0x10002`); err != nil {
			return fmt.Errorf("migrate: optimize: %w", err)
		}
	}
	return nil
}

// apply runs m unless it is recorded as applied. The check is inside the
// transaction, so on SQLite, whose transactions take the write lock at
// BEGIN, a second process that migrates at the same time skips it.
func (s *Store) apply(ctx context.Context, conn *sqlx.Conn, m migration) (bool, error) {
	tx, err := conn.BeginTxx(ctx, nil)
	if err != nil {
		return false, err
	}
	defer tx.Rollback()
	var n int
	if err := tx.GetContext(ctx, &n, tx.Rebind(`SELECT COUNT(*) FROM schema_migrations WHERE version = ?`), m.version); err != nil {
		return false, err
	}
	if n > 0 {
		return false, nil
	}
	if _, err := tx.ExecContext(ctx, m.sql); err != nil {
		return false, err
	}
	if _, err := tx.ExecContext(ctx, tx.Rebind(`INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)`),
		m.version, timestamp{time.Now()}); err != nil {
		return false, err
	}
	return true, tx.Commit()
}
