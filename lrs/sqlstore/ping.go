package sqlstore

import (
	"context"
	"fmt"
)

// Ping reports whether the database answers, for the readiness probe. It
// asks the read pool: on SQLite the one write connection may be busy with a
// batch for a while, which says nothing about readiness.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.r.PingContext(ctx); err != nil {
		return fmt.Errorf("ping database: %w", err)
	}
	return nil
}
