package sqlstore

import (
	"context"
	"errors"
	"fmt"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
	"github.com/lib/pq/pqerror"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// dialect is what really differs between the two databases. Every query is
// shared, written with ? and rebound; the DDL differs by migration file.
type dialect struct {
	name string
	// maxParams is the most bind parameters one statement may carry.
	maxParams int
}

var (
	sqliteDialect = dialect{name: "sqlite", maxParams: 32766}
	// PostgreSQL's wire protocol counts parameters in an int16.
	postgresDialect = dialect{name: "postgres", maxParams: 65535}
)

// Advisory lock keys on PostgreSQL: the first half of a two-int key, the
// second half being hashtext(current_schema()), so that schemas (one per
// test, or several LRS instances in one database) do not block each other.
const (
	migrationLockClass = 0x636b01 // "ck" 1
	voidingLockClass   = 0x636b02 // "ck" 2
	progressLockClass  = 0x636b03 // "ck" 3
)

// isUniqueViolation reports whether err is a unique or primary key
// constraint violation.
func (d dialect) isUniqueViolation(err error) bool {
	if d.name == "postgres" {
		return pq.As(err, pqerror.UniqueViolation) != nil
	}
	code, ok := sqliteCode(err)
	return ok && (code == sqlite3.SQLITE_CONSTRAINT_UNIQUE || code == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY)
}

// isRetryable reports whether a transaction that failed with err may succeed
// when run again: a deadlock or serialization failure on PostgreSQL (two
// batches inserting the same ids in different orders), a lock held by
// another process on SQLite beyond busy_timeout.
func (d dialect) isRetryable(err error) bool {
	if d.name == "postgres" {
		return pq.As(err, pqerror.TRDeadlockDetected, pqerror.TRSerializationFailure) != nil
	}
	code, ok := sqliteCode(err)
	return ok && code&0xff == sqlite3.SQLITE_BUSY
}

func sqliteCode(err error) (int, bool) {
	var e *sqlite.Error
	if !errors.As(err, &e) {
		return 0, false
	}
	return e.Code(), true
}

// lockVoiding orders transactions that void statements against the ones
// that insert statements. Every inserting transaction takes the lock shared
// and one that contains a voiding statement takes it exclusively, so a
// voiding statement and its target that arrive at the same time on two
// PostgreSQL connections cannot miss each other: whichever commits second
// sees the first. SQLite has one writer, which orders them already.
func (d dialect) lockVoiding(ctx context.Context, tx *sqlx.Tx, exclusive bool) error {
	if d.name != "postgres" {
		return nil
	}
	q := `SELECT pg_advisory_xact_lock_shared($1, hashtext(current_schema()))`
	if exclusive {
		q = `SELECT pg_advisory_xact_lock($1, hashtext(current_schema()))`
	}
	if _, err := tx.ExecContext(ctx, q, voidingLockClass); err != nil {
		return fmt.Errorf("lock for voiding: %w", err)
	}
	return nil
}

// lockMigrations holds off other processes that migrate the same database
// until unlock; on PostgreSQL with a session advisory lock on conn, on
// SQLite through the immediate transaction each migration runs in.
func (d dialect) lockMigrations(ctx context.Context, conn *sqlx.Conn) (unlock func() error, err error) {
	if d.name != "postgres" {
		return func() error { return nil }, nil
	}
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock($1, hashtext(current_schema()))`, migrationLockClass); err != nil {
		return nil, fmt.Errorf("lock for migrations: %w", err)
	}
	return func() error {
		_, err := conn.ExecContext(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1, hashtext(current_schema()))`, migrationLockClass)
		if err != nil {
			return fmt.Errorf("unlock after migrations: %w", err)
		}
		return nil
	}, nil
}
