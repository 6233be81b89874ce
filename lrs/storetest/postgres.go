package storetest

import (
	"crypto/rand"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"testing"

	_ "github.com/lib/pq" // the postgres driver, for creating test schemas
)

// PostgresHowTo says how to run the PostgreSQL tests.
const PostgresHowTo = "set COURSEKIT_TEST_POSTGRES=postgres://postgres@127.0.0.1:5432/test?sslmode=disable to run the PostgreSQL tests"

// PostgresDSN creates a schema of its own for the test in the database
// COURSEKIT_TEST_POSTGRES names, drops it when the test ends, and returns a
// DSN whose search_path is that schema. It skips the test when the variable
// is unset and fails it when the server cannot be reached.
func PostgresDSN(t testing.TB) string {
	t.Helper()
	dsn := os.Getenv("COURSEKIT_TEST_POSTGRES")
	if dsn == "" {
		t.Skip(PostgresHowTo)
	}
	admin, err := sql.Open("postgres", dsn)
	if err != nil {
		t.Fatalf("COURSEKIT_TEST_POSTGRES: %v", err)
	}
	t.Cleanup(func() { admin.Close() })
	var b [6]byte
	_, _ = rand.Read(b[:])
	schema := fmt.Sprintf("ck_test_%x", b)
	if _, err := admin.Exec(`CREATE SCHEMA ` + schema); err != nil {
		t.Fatalf("COURSEKIT_TEST_POSTGRES: create schema: %v", err)
	}
	t.Cleanup(func() {
		if _, err := admin.Exec(`DROP SCHEMA ` + schema + ` CASCADE`); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
	})
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatalf("COURSEKIT_TEST_POSTGRES: %v", err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}
