package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/coursekit/coursekit/lrs"
)

const selectCredentials = `SELECT key, secret_hash, name, scopes, authority, created_at, revoked_at, expires_at, restriction FROM credentials`

func scanCredential(row interface{ Scan(...any) error }) (lrs.Credential, error) {
	var (
		c                           lrs.Credential
		scopes, authority           string
		createdAt, revoked, expires timestamp
		restriction                 sql.NullString
	)
	if err := row.Scan(&c.Key, &c.SecretHash, &c.Name, &scopes, &authority, &createdAt, &revoked, &expires, &restriction); err != nil {
		return c, err
	}
	if err := json.Unmarshal([]byte(scopes), &c.Scopes); err != nil {
		return c, fmt.Errorf("credential %s: scopes: %w", c.Key, err)
	}
	if restriction.Valid {
		c.Restriction = new(lrs.Restriction)
		if err := json.Unmarshal([]byte(restriction.String), c.Restriction); err != nil {
			return c, fmt.Errorf("credential %s: restriction: %w", c.Key, err)
		}
	}
	c.ExpiresAt = expires.Time
	if len(c.Scopes) == 0 {
		c.Scopes = nil
	}
	c.Authority = []byte(authority)
	c.CreatedAt, c.RevokedAt = createdAt.Time, revoked.Time
	return c, nil
}

// InsertCredential stores c; lrs.ErrConflict if its key is taken.
func (s *Store) InsertCredential(ctx context.Context, c lrs.Credential) error {
	err := s.inTx(ctx, func(tx *sqlx.Tx) error { return insertCredential(ctx, tx, c) })
	switch {
	case s.d.isUniqueViolation(err):
		return fmt.Errorf("insert credential %s: %w", c.Key, lrs.ErrConflict)
	case err != nil:
		return fmt.Errorf("insert credential %s: %w", c.Key, err)
	}
	return nil
}

// insertCredential inserts c in tx.
func insertCredential(ctx context.Context, tx *sqlx.Tx, c lrs.Credential) error {
	scopes := c.Scopes
	if scopes == nil {
		scopes = []string{}
	}
	sj, err := json.Marshal(scopes)
	if err != nil {
		return err
	}
	var restriction any
	if c.Restriction != nil {
		rj, err := json.Marshal(c.Restriction)
		if err != nil {
			return err
		}
		restriction = string(rj)
	}
	hash := c.SecretHash
	if hash == nil {
		hash = []byte{}
	}
	q := `INSERT INTO credentials (key, secret_hash, name, scopes, authority, created_at, revoked_at, expires_at, restriction) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`
	_, err = tx.ExecContext(ctx, tx.Rebind(q), c.Key, hash, c.Name, string(sj), string(c.Authority),
		timestamp{c.CreatedAt}, timestamp{c.RevokedAt}, timestamp{c.ExpiresAt}, restriction)
	return err
}

// Credential returns the credential with the key, revoked or not.
func (s *Store) Credential(ctx context.Context, key string) (lrs.Credential, error) {
	c, err := scanCredential(s.r.QueryRowContext(ctx, s.r.Rebind(selectCredentials+` WHERE key = ?`), key))
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return lrs.Credential{}, fmt.Errorf("credential %s: %w", key, lrs.ErrNotFound)
	case err != nil:
		return lrs.Credential{}, fmt.Errorf("credential %s: %w", key, err)
	}
	return c, nil
}

// Credentials returns every credential, oldest first.
func (s *Store) Credentials(ctx context.Context) ([]lrs.Credential, error) {
	rows, err := s.r.QueryContext(ctx, selectCredentials+` ORDER BY created_at, key`)
	if err != nil {
		return nil, fmt.Errorf("credentials: %w", err)
	}
	defer rows.Close()
	var cs []lrs.Credential
	for rows.Next() {
		c, err := scanCredential(rows)
		if err != nil {
			return nil, fmt.Errorf("credentials: %w", err)
		}
		cs = append(cs, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("credentials: %w", err)
	}
	return cs, nil
}

// RevokeCredential marks the credential revoked at at. Revoking it again
// keeps the first time.
func (s *Store) RevokeCredential(ctx context.Context, key string, at time.Time) error {
	q := `UPDATE credentials SET revoked_at = COALESCE(revoked_at, ?) WHERE key = ?`
	var n int64
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		res, err := tx.ExecContext(ctx, tx.Rebind(q), timestamp{at}, key)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	if err != nil {
		return fmt.Errorf("revoke credential %s: %w", key, err)
	}
	if n == 0 {
		return fmt.Errorf("revoke credential %s: %w", key, lrs.ErrNotFound)
	}
	return nil
}

// ExpireCredential sets the credential's expiry to at unless it expires
// sooner already.
func (s *Store) ExpireCredential(ctx context.Context, key string, at time.Time) error {
	q := `UPDATE credentials SET expires_at = CASE WHEN expires_at IS NULL OR expires_at > ? THEN ? ELSE expires_at END WHERE key = ?`
	var n int64
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		res, err := tx.ExecContext(ctx, tx.Rebind(q), timestamp{at}, timestamp{at}, key)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	if err != nil {
		return fmt.Errorf("expire credential %s: %w", key, err)
	}
	if n == 0 {
		return fmt.Errorf("expire credential %s: %w", key, lrs.ErrNotFound)
	}
	return nil
}
