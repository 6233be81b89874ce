package sqlstore

import (
	"context"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/coursekit/coursekit/lrs"
)

func TestMigrationNamesMatch(t *testing.T) {
	names := func(dialect string) []string {
		ms, err := migrations(dialect)
		if err != nil {
			t.Fatalf("migrations(%q) = %v", dialect, err)
		}
		var out []string
		for _, m := range ms {
			out = append(out, m.version)
		}
		return out
	}
	sqlite, postgres := names("sqlite"), names("postgres")
	if len(sqlite) == 0 {
		t.Fatal("no migrations")
	}
	if !slices.Equal(sqlite, postgres) {
		t.Errorf("migrations: sqlite has %v, postgres %v, want the same names", sqlite, postgres)
	}
}

// TestMigrateConcurrently opens one fresh database from several goroutines
// at once, as LRS nodes that start together do: every Open succeeds and
// each migration is applied once.
func TestMigrateConcurrently(t *testing.T) {
	for _, db := range testDatabases {
		t.Run(db.name, func(t *testing.T) {
			dsn := db.dsn(t)
			const n = 8
			stores := make([]*Store, n)
			errs := make([]error, n)
			var wg sync.WaitGroup
			for i := range n {
				wg.Go(func() { stores[i], errs[i] = Open(context.Background(), dsn, testLogger(t)) })
			}
			wg.Wait()
			for i, err := range errs {
				if err != nil {
					t.Errorf("Open #%d = %v", i, err)
					continue
				}
				defer stores[i].Close()
			}
			if t.Failed() {
				return
			}
			s := stores[0]
			var applied []string
			if err := s.r.Select(&applied, `SELECT version FROM schema_migrations ORDER BY version`); err != nil {
				t.Fatalf("read schema_migrations: %v", err)
			}
			ms, _ := migrations(s.d.name)
			var want []string
			for _, m := range ms {
				want = append(want, m.version)
			}
			if !slices.Equal(applied, want) {
				t.Errorf("schema_migrations = %v, want each of %v once", applied, want)
			}
		})
	}
}

func TestOpenRejects(t *testing.T) {
	tests := []struct {
		dsn, want string
	}{
		{"mysql://root@localhost/x", "sqlite:PATH or a postgres:// URL"},
		{"./coursekit.db", "sqlite:PATH or a postgres:// URL"},
		{"sqlite:", "empty path"},
		{"sqlite::memory:", "in-memory"},
		{"sqlite:file:x?mode=memory", "in-memory"},
		{"sqlite:" + t.TempDir() + "/x.db?_pragma=nonsense(", ""},
	}
	for _, tt := range tests {
		s, err := Open(context.Background(), tt.dsn, nil)
		if err == nil {
			s.Close()
			t.Errorf("Open(%q) = nil error, want one", tt.dsn)
			continue
		}
		if !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Open(%q) = %v, want an error saying %q", tt.dsn, err, tt.want)
		}
	}
}

func TestSQLiteDSN(t *testing.T) {
	defaults := []string{"busy_timeout(10000)", "synchronous(FULL)"}
	tests := []struct {
		query, want string
	}{
		{"", "db?_pragma=busy_timeout%2810000%29&_pragma=synchronous%28FULL%29&_txlock=immediate"},
		{"_pragma=synchronous(NORMAL)", "db?_pragma=busy_timeout%2810000%29&_txlock=immediate&_pragma=synchronous(NORMAL)"},
		{"_txlock=deferred", "db?_pragma=busy_timeout%2810000%29&_pragma=synchronous%28FULL%29&_txlock=deferred"},
	}
	for _, tt := range tests {
		user, err := url.ParseQuery(tt.query)
		if err != nil {
			t.Fatal(err)
		}
		if got := sqliteDSN("db", user, defaults, "_txlock=immediate", tt.query); got != tt.want {
			t.Errorf("sqliteDSN(%q) = %q, want %q", tt.query, got, tt.want)
		}
	}
}

// TestReopen opens a store twice: the second Open applies nothing and the
// data is there.
func TestReopen(t *testing.T) {
	dsn := sqliteTestDSN(t)
	ctx := context.Background()
	s, err := Open(ctx, dsn, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.InsertStatements(ctx, benchStatements(1, 0), nil); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = mustOpen(t, dsn)
	page, _, err := s.Statements(ctx, lrs.StatementFilter{})
	if err != nil || len(page) != 1 {
		t.Errorf("Statements after reopening = %d statements, %v, want 1", len(page), err)
	}
}
