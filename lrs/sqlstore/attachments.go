package sqlstore

import (
	"context"
	"fmt"

	"github.com/coursekit/coursekit/lrs"
)

// Attachments returns the stored payloads with those hashes; hashes not
// stored are absent from the map.
func (s *Store) Attachments(ctx context.Context, sha2 []string) (map[string]lrs.Attachment, error) {
	out := make(map[string]lrs.Attachment, len(sha2))
	err := chunks(len(sha2), s.d.maxParams, func(lo, hi int) error {
		args := make([]any, 0, hi-lo)
		for _, h := range sha2[lo:hi] {
			args = append(args, h)
		}
		q := `SELECT sha2, content_type, data FROM attachments WHERE sha2 IN (` + placeholders(hi-lo) + `)`
		rows, err := s.r.QueryContext(ctx, s.r.Rebind(q), args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var a lrs.Attachment
			if err := rows.Scan(&a.SHA2, &a.ContentType, &a.Data); err != nil {
				return err
			}
			out[a.SHA2] = a
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("attachments: %w", err)
	}
	return out, nil
}
