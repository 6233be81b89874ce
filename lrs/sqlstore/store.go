// Package sqlstore implements lrs.Store on SQLite (modernc.org/sqlite, pure
// Go, the default that needs no setup) and on PostgreSQL (lib/pq), with one
// set of queries written for sqlx.
//
// A statement is stored once, as its exact JSON, beside indexed columns for
// the query filters (verb, object, registration, stored, voiding) and two
// index tables for the agent, related_agents and related_activities
// filters. Queries return statements in (stored, seq) order, seq being an
// increasing insertion sequence, and every index a query walks ends with
// (stored, seq), so that a filter, a since/until range and a keyset cursor
// make one index range: pages never use OFFSET and cost the same at any
// depth. A batch of statements is one transaction of multi-row INSERTs;
// concurrent batches share transactions (group commit, see group.go).
//
// Statements read back carry ID, JSON, Stored, Voided, Seq and the indexed
// columns; their RelatedAgents, RelatedActivities and Attachments are empty
// (attachment payloads are read with Attachments).
//
// Durability: a write that returns nil is committed (InsertStatements
// returns after its group's commit) and survives a crash of the process
// and, as far as the disk honours fsync, of the machine. SQLite
// runs in WAL mode with synchronous=FULL, which syncs the WAL on every
// commit; synchronous=NORMAL would survive a killed process too but could
// lose the last commits on power loss, and on this project's hardware the
// sync costs well under a millisecond per batch. PostgreSQL keeps its own
// settings (synchronous_commit=on by default).
//
// Nothing lives in process memory that another LRS node would need: several
// nodes may share one PostgreSQL database.
package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/jmoiron/sqlx"
	_ "github.com/lib/pq"  // registers "postgres"
	_ "modernc.org/sqlite" // registers "sqlite"

	"github.com/coursekit/coursekit/lrs"
)

var _ lrs.Store = (*Store)(nil)

// Store is an lrs.Store on SQLite or PostgreSQL. It is safe for concurrent
// use.
type Store struct {
	// w takes every write. On SQLite it is a single connection: SQLite
	// allows one writer at a time, and queueing in the pool is cheaper and
	// fairer than SQLITE_BUSY and busy_timeout polling.
	w *sqlx.DB
	// r takes reads. On SQLite it is a pool of read-only connections, which
	// WAL lets run beside the writer; on PostgreSQL it is w.
	r *sqlx.DB
	// writeMu, on SQLite, queues write transactions (the statement
	// writer's and credential writes) in front of the one connection.
	// database/sql hands a freed connection to a random waiter, which
	// gives a long latency tail under load; a sync.Mutex turns FIFO once a
	// waiter has waited a millisecond.
	writeMu *sync.Mutex
	// calls takes InsertStatements calls to the writer goroutines that
	// commit them in groups (see group.go).
	calls   chan *insertCall
	quit    chan struct{}
	writers sync.WaitGroup
	d       dialect
	logger  *slog.Logger

	// docs holds the prepared document queries and, on SQLite, commits
	// document writes in groups (see documents_group.go); on PostgreSQL it
	// sends them in batches on docsDB (see documents_batch.go).
	docs   *docWriter
	docsDB *sqlx.DB
	// docsOneDB runs, on PostgreSQL, the document writes that go on their
	// own (see putOne); a pool apart, so that however many wait on a row
	// lock, the batches in docsDB keep their connections.
	docsOneDB *sqlx.DB
	// known is the agent names found stored (see activities.go).
	known knownNames
	// recent is the statements committed lately, for the progress worker
	// (see recent.go).
	recent recentStatements

	// checkpointer, on SQLite, is the connection that checkpoints the WAL
	// (see checkpoint.go).
	checkpointer    *sqlx.DB
	stopCheckpoints func()
}

// bindOnce registers modernc's driver name with sqlx, which does not know
// it, so that Rebind leaves its ? placeholders alone.
var bindOnce sync.Once

// Open opens the store at dsn, sqlite:PATH or a postgres:// (postgresql://)
// URL, and brings its schema up to date. Query parameters after a SQLite
// PATH are passed to the driver and override the defaults here, for example
// sqlite:./coursekit.db?_pragma=synchronous(NORMAL).
func Open(ctx context.Context, dsn string, logger *slog.Logger) (*Store, error) {
	bindOnce.Do(func() { sqlx.BindDriver("sqlite", sqlx.QUESTION) })
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	var (
		s   *Store
		err error
	)
	switch {
	case strings.HasPrefix(dsn, "sqlite:"):
		s, err = openSQLite(strings.TrimPrefix(dsn, "sqlite:"))
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"):
		s, err = openPostgres(dsn)
	default:
		// The DSN may hold a password: name only what was expected.
		return nil, errors.New("open store: the database must be sqlite:PATH or a postgres:// URL")
	}
	if err != nil {
		return nil, fmt.Errorf("open store: %w", err)
	}
	s.logger = logger
	if err := s.migrateRetrying(ctx); err != nil {
		s.Close()
		return nil, fmt.Errorf("open store: %w", err)
	}
	if err := s.r.PingContext(ctx); err != nil {
		s.Close()
		return nil, fmt.Errorf("open store: %w", err)
	}
	if s.d.name == "sqlite" {
		s.startWriter(1) // SQLite has one writer at a time
		s.startCheckpoints()
	} else {
		s.startWriter(max(2, runtime.GOMAXPROCS(0)))
	}
	s.startDocWriter()
	return s, nil
}

// migrateRetrying migrates, waiting for another process that opens a new
// SQLite database at the same moment: switching it to WAL takes a lock that
// SQLite reports busy at once rather than waiting busy_timeout for it.
func (s *Store) migrateRetrying(ctx context.Context) error {
	for attempt := 1; ; attempt++ {
		err := s.migrate(ctx)
		if err == nil || attempt == 20 || !s.d.isRetryable(err) {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(time.Duration(attempt) * 10 * time.Millisecond):
		}
	}
}

func openSQLite(path string) (*Store, error) {
	path, query, _ := strings.Cut(path, "?")
	if path == "" {
		return nil, errors.New("sqlite: empty path")
	}
	if strings.Contains(path, ":memory:") || strings.Contains(query, "mode=memory") {
		// Every connection of a pool would get its own empty database.
		return nil, errors.New("sqlite: in-memory databases are not supported; use a file")
	}
	user, err := url.ParseQuery(query)
	if err != nil {
		return nil, fmt.Errorf("sqlite: parse options: %w", err)
	}
	// The writer's cache and checkpoint interval are what ingest speed
	// hangs on. With SQLite's defaults (2 MiB, a checkpoint every 1,000
	// pages) a group commit of a few hundred statements checkpoints on
	// nearly every commit, and half the writer's time went to reading back
	// index pages it had just evicted and rewriting the same hot pages into
	// the database file. 32 MiB and 16,000 pages (a WAL of up to 64 MiB)
	// took server CPU per statement from about 190 to 120 µs; a larger
	// cache was slower again. Readers keep the default cache: there are
	// several of them. Checkpoints now run beside the writer (see
	// checkpoint.go); the writer checkpoints itself only past 65,536 pages.
	writer := sqliteDSN(path, user, []string{
		"busy_timeout(10000)", "journal_mode(WAL)", "synchronous(FULL)", "foreign_keys(1)", "temp_store(MEMORY)",
		"cache_size(-32768)", "wal_autocheckpoint(65536)",
	}, "_txlock=immediate", query)
	reader := sqliteDSN(path, user, []string{"busy_timeout(10000)", "query_only(1)"}, "", query)
	checkpointer := sqliteDSN(path, user, []string{"busy_timeout(10000)"}, "", query)

	w, err := sqlx.Open("sqlite", writer)
	if err != nil {
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	r, err := sqlx.Open("sqlite", reader)
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	n := max(4, runtime.GOMAXPROCS(0))
	r.SetMaxOpenConns(n)
	r.SetMaxIdleConns(n)
	c, err := sqlx.Open("sqlite", checkpointer)
	if err != nil {
		w.Close()
		r.Close()
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	c.SetMaxOpenConns(1)
	c.SetMaxIdleConns(1)
	return &Store{w: w, r: r, checkpointer: c, writeMu: new(sync.Mutex), d: sqliteDialect}, nil
}

// sqliteDSN is path with the default pragmas the user's options do not
// override, then extra, then the user's options.
func sqliteDSN(path string, user url.Values, pragmas []string, extra, query string) string {
	overridden := map[string]bool{}
	for _, p := range user["_pragma"] {
		name, _, _ := strings.Cut(p, "(")
		name, _, _ = strings.Cut(name, "=")
		overridden[strings.ToLower(strings.TrimSpace(name))] = true
	}
	var params []string
	for _, p := range pragmas {
		name, _, _ := strings.Cut(p, "(")
		if !overridden[name] {
			params = append(params, "_pragma="+url.QueryEscape(p))
		}
	}
	if extra != "" {
		key, _, _ := strings.Cut(extra, "=")
		if !user.Has(key) {
			params = append(params, extra)
		}
	}
	if query != "" {
		params = append(params, query)
	}
	return path + "?" + strings.Join(params, "&")
}

func openPostgres(dsn string) (*Store, error) {
	// url.Parse's errors quote the whole URL, password and all, and lib/pq
	// passes them on.
	if _, err := url.Parse(dsn); err != nil {
		if ue, ok := errors.AsType[*url.Error](err); ok {
			err = ue.Err
		}
		return nil, fmt.Errorf("postgres: the URL does not parse: %w", err)
	}
	db, err := sqlx.Open("postgres", dsn)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	// Keep idle as many connections as may be open: the default of two
	// idle connections makes a busy server reconnect all the time.
	db.SetMaxOpenConns(20)
	db.SetMaxIdleConns(20)
	// A connection each for the read and the write batches.
	docs, err := openDocumentPool(dsn, 2)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("postgres: %w", err)
	}
	one, err := openDocumentPool(dsn, 4)
	if err != nil {
		db.Close()
		docs.Close()
		return nil, fmt.Errorf("postgres: %w", err)
	}
	return &Store{w: db, r: db, docsDB: docs, docsOneDB: one, d: postgresDialect}, nil
}

// Dialect returns "sqlite" or "postgres".
func (s *Store) Dialect() string { return s.d.name }

// Close closes the database. On SQLite it first lets the query planner
// refresh its statistics, as SQLite recommends before closing.
func (s *Store) Close() error {
	s.stopWriter()
	s.stopDocWriter()
	if s.stopCheckpoints != nil {
		s.stopCheckpoints()
	}
	var errs []error
	if s.checkpointer != nil {
		errs = append(errs, s.checkpointer.Close())
	}
	if s.d.name == "sqlite" {
		if _, err := s.w.Exec(`PRAGMA optimize`); err != nil {
			errs = append(errs, fmt.Errorf("optimize: %w", err))
		}
	}
	if s.r != s.w {
		errs = append(errs, s.r.Close())
	}
	if s.docsDB != nil {
		errs = append(errs, s.docsDB.Close(), s.docsOneDB.Close())
	}
	errs = append(errs, s.w.Close())
	return errors.Join(errs...)
}
