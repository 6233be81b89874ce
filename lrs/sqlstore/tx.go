package sqlstore

import (
	"context"
	"fmt"
	"strings"

	"github.com/jmoiron/sqlx"
)

// maxAttempts bounds how often inTx runs a transaction that failed with a
// retryable error.
const maxAttempts = 4

// inTx runs fn in a write transaction and commits it, running it again when
// it fails in a way that a second attempt may not (see isRetryable). fn must
// not keep state between attempts.
func (s *Store) inTx(ctx context.Context, fn func(tx *sqlx.Tx) error) error {
	for attempt := 1; ; attempt++ {
		err := s.tx(ctx, fn)
		if err == nil || attempt == maxAttempts || ctx.Err() != nil || !s.d.isRetryable(err) {
			return err
		}
		s.logger.WarnContext(ctx, "retrying transaction", "attempt", attempt, "err", err)
	}
}

func (s *Store) tx(ctx context.Context, fn func(tx *sqlx.Tx) error) error {
	if s.writeMu != nil {
		s.writeMu.Lock()
		defer s.writeMu.Unlock()
	}
	tx, err := s.w.BeginTxx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// chunks calls fn for consecutive ranges [lo, hi) of n items, each at most
// size long.
func chunks(n, size int, fn func(lo, hi int) error) error {
	for lo := 0; lo < n; lo += size {
		if err := fn(lo, min(lo+size, n)); err != nil {
			return err
		}
	}
	return nil
}

// placeholders returns "?, ?, ?" for n parameters.
func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

// valuesRows returns "(?, ?), (?, ?)" for rows of cols parameters.
func valuesRows(rows, cols int) string {
	row := "(" + placeholders(cols) + ")"
	return strings.TrimSuffix(strings.Repeat(row+", ", rows), ", ")
}

// nullString stores the empty string as NULL, so that partial indexes skip
// it and COALESCE(col, ”) reads it back.
func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}
