package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/coursekit/coursekit/lrs"
	"github.com/coursekit/coursekit/lrs/cmi5"
)

var _ cmi5.Store = (*Store)(nil)

const selectAUs = `SELECT au_id, activity_id, course_id, url, move_on, mastery_score, launch_parameters, launch_method, created_at, updated_at FROM cmi5_aus`

func scanAU(row interface{ Scan(...any) error }) (cmi5.AU, error) {
	var (
		au               cmi5.AU
		mastery          sql.NullFloat64
		created, updated timestamp
	)
	err := row.Scan(&au.ID, &au.ActivityID, &au.CourseID, &au.URL, &au.MoveOn, &mastery, &au.LaunchParameters, &au.LaunchMethod, &created, &updated)
	if mastery.Valid {
		au.MasteryScore = &mastery.Float64
	}
	au.CreatedAt, au.UpdatedAt = created.Time, updated.Time
	return au, err
}

// PutAU inserts the AU or updates it, keeping its activity id: of two
// launches that define a new AU at once, both get the first one's id.
func (s *Store) PutAU(ctx context.Context, au cmi5.AU) (cmi5.AU, error) {
	var mastery any
	if au.MasteryScore != nil {
		mastery = *au.MasteryScore
	}
	q := `INSERT INTO cmi5_aus (au_id, activity_id, course_id, url, move_on, mastery_score, launch_parameters, launch_method, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (au_id) DO UPDATE SET course_id = excluded.course_id, url = excluded.url, move_on = excluded.move_on,
			mastery_score = excluded.mastery_score, launch_parameters = excluded.launch_parameters,
			launch_method = excluded.launch_method, updated_at = excluded.updated_at
		RETURNING au_id, activity_id, course_id, url, move_on, mastery_score, launch_parameters, launch_method, created_at, updated_at`
	var stored cmi5.AU
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		var err error
		stored, err = scanAU(tx.QueryRowContext(ctx, tx.Rebind(q), au.ID, au.ActivityID, au.CourseID, au.URL, au.MoveOn, mastery,
			au.LaunchParameters, au.LaunchMethod, timestamp{au.CreatedAt}, timestamp{au.UpdatedAt}))
		return err
	})
	if err != nil {
		return cmi5.AU{}, fmt.Errorf("put AU %s: %w", au.ID, err)
	}
	return stored, nil
}

// AU returns the AU with the id.
func (s *Store) AU(ctx context.Context, id string) (cmi5.AU, error) {
	au, err := scanAU(s.r.QueryRowContext(ctx, s.r.Rebind(selectAUs+` WHERE au_id = ?`), id))
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return cmi5.AU{}, fmt.Errorf("AU %s: %w", id, lrs.ErrNotFound)
	case err != nil:
		return cmi5.AU{}, fmt.Errorf("AU %s: %w", id, err)
	}
	return au, nil
}

// CourseAUs returns the course's AUs by id.
func (s *Store) CourseAUs(ctx context.Context, courseID string) ([]cmi5.AU, error) {
	rows, err := s.r.QueryContext(ctx, s.r.Rebind(selectAUs+` WHERE course_id = ? ORDER BY au_id`), courseID)
	if err != nil {
		return nil, fmt.Errorf("course %s AUs: %w", courseID, err)
	}
	defer rows.Close()
	var aus []cmi5.AU
	for rows.Next() {
		au, err := scanAU(rows)
		if err != nil {
			return nil, fmt.Errorf("course %s AUs: %w", courseID, err)
		}
		aus = append(aus, au)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("course %s AUs: %w", courseID, err)
	}
	return aus, nil
}

const selectRegistration = `SELECT registration, course_id, agent_ifi, created_at FROM cmi5_registrations WHERE registration = ?`

func scanRegistration(row *sql.Row) (cmi5.Registration, error) {
	var (
		r       cmi5.Registration
		created timestamp
	)
	err := row.Scan(&r.ID, &r.CourseID, &r.Agent, &created)
	r.CreatedAt = created.Time
	return r, err
}

// Registration returns the registration with the id.
func (s *Store) Registration(ctx context.Context, id string) (cmi5.Registration, error) {
	r, err := scanRegistration(s.r.QueryRowContext(ctx, s.r.Rebind(selectRegistration), id))
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return cmi5.Registration{}, fmt.Errorf("registration %s: %w", id, lrs.ErrNotFound)
	case err != nil:
		return cmi5.Registration{}, fmt.Errorf("registration %s: %w", id, err)
	}
	return r, nil
}

// Register inserts the registration unless its id is taken, and returns
// the stored one; read in the same transaction, so it is the one that won.
func (s *Store) Register(ctx context.Context, r cmi5.Registration) (cmi5.Registration, error) {
	q := `INSERT INTO cmi5_registrations (registration, course_id, agent_ifi, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (registration) DO NOTHING`
	var stored cmi5.Registration
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		if _, err := tx.ExecContext(ctx, tx.Rebind(q), r.ID, r.CourseID, r.Agent, timestamp{r.CreatedAt}); err != nil {
			return err
		}
		var err error
		stored, err = scanRegistration(tx.QueryRowContext(ctx, tx.Rebind(selectRegistration), r.ID))
		return err
	})
	if err != nil {
		return cmi5.Registration{}, fmt.Errorf("register %s: %w", r.ID, err)
	}
	return stored, nil
}

// InsertSession stores a new session.
func (s *Store) InsertSession(ctx context.Context, sess cmi5.Session) error {
	q := `INSERT INTO cmi5_sessions (session_id, registration, au_id, activity_id, agent_ifi, launch_mode, fetch_hash, fetch_expires, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		_, err := tx.ExecContext(ctx, tx.Rebind(q), sess.ID, sess.Registration, sess.AUID, sess.ActivityID, sess.Agent,
			sess.LaunchMode, sess.FetchHash, timestamp{sess.FetchExpires}, timestamp{sess.CreatedAt})
		return err
	})
	if err != nil {
		return fmt.Errorf("insert session %s: %w", sess.ID, err)
	}
	return nil
}

// SessionByFetch returns the session whose fetch code hashes to hash.
func (s *Store) SessionByFetch(ctx context.Context, hash []byte) (cmi5.Session, error) {
	q := `SELECT session_id, registration, au_id, activity_id, agent_ifi, launch_mode, fetch_hash, fetch_expires,
		fetched_at, COALESCE(credential_key, ''), created_at FROM cmi5_sessions WHERE fetch_hash = ?`
	var (
		sess                      cmi5.Session
		expires, fetched, created timestamp
	)
	err := s.r.QueryRowContext(ctx, s.r.Rebind(q), hash).Scan(&sess.ID, &sess.Registration, &sess.AUID, &sess.ActivityID,
		&sess.Agent, &sess.LaunchMode, &sess.FetchHash, &expires, &fetched, &sess.CredentialKey, &created)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return cmi5.Session{}, fmt.Errorf("session by fetch code: %w", lrs.ErrNotFound)
	case err != nil:
		return cmi5.Session{}, fmt.Errorf("session by fetch code: %w", err)
	}
	sess.FetchExpires, sess.FetchedAt, sess.CreatedAt = expires.Time, fetched.Time, created.Time
	return sess, nil
}

// RedeemFetch marks the session fetched and stores its token's credential
// in one transaction. The update's condition is what makes the fetch URL
// one-time across processes: of two fetches, one updates the row and the
// other finds it fetched.
func (s *Store) RedeemFetch(ctx context.Context, sessionID string, at time.Time, token lrs.Credential) error {
	q := `UPDATE cmi5_sessions SET fetched_at = ?, credential_key = ? WHERE session_id = ? AND fetched_at IS NULL`
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		res, err := tx.ExecContext(ctx, tx.Rebind(q), timestamp{at}, token.Key, sessionID)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			if err == nil {
				err = cmi5.ErrFetchUsed
			}
			return err
		}
		return insertCredential(ctx, tx, token)
	})
	if err != nil {
		return fmt.Errorf("redeem session %s: %w", sessionID, err)
	}
	return nil
}

// OpenSessions returns the sessions of the registration's AU whose fetch
// URL or token is still good at at.
func (s *Store) OpenSessions(ctx context.Context, registration, auID string, at time.Time) ([]cmi5.Session, error) {
	q := `SELECT s.session_id, s.registration, s.au_id, s.activity_id, s.agent_ifi, s.launch_mode, s.fetch_hash,
		s.fetch_expires, s.fetched_at, COALESCE(s.credential_key, ''), s.created_at
		FROM cmi5_sessions s LEFT JOIN credentials c ON c.key = s.credential_key
		WHERE s.registration = ? AND s.au_id = ?
		AND ((s.fetched_at IS NULL AND s.fetch_expires > ?) OR (c.revoked_at IS NULL AND c.expires_at > ?))
		ORDER BY s.created_at`
	rows, err := s.r.QueryContext(ctx, s.r.Rebind(q), registration, auID, timestamp{at}, timestamp{at})
	if err != nil {
		return nil, fmt.Errorf("open sessions of %s: %w", registration, err)
	}
	defer rows.Close()
	var out []cmi5.Session
	for rows.Next() {
		var (
			sess                      cmi5.Session
			expires, fetched, created timestamp
		)
		if err := rows.Scan(&sess.ID, &sess.Registration, &sess.AUID, &sess.ActivityID, &sess.Agent, &sess.LaunchMode,
			&sess.FetchHash, &expires, &fetched, &sess.CredentialKey, &created); err != nil {
			return nil, fmt.Errorf("open sessions of %s: %w", registration, err)
		}
		sess.FetchExpires, sess.FetchedAt, sess.CreatedAt = expires.Time, fetched.Time, created.Time
		out = append(out, sess)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("open sessions of %s: %w", registration, err)
	}
	return out, nil
}

// EndFetch brings the session's fetch URL's expiry forward to at.
func (s *Store) EndFetch(ctx context.Context, sessionID string, at time.Time) error {
	q := `UPDATE cmi5_sessions SET fetch_expires = ? WHERE session_id = ? AND fetch_expires > ?`
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		_, err := tx.ExecContext(ctx, tx.Rebind(q), timestamp{at}, sessionID, timestamp{at})
		return err
	})
	if err != nil {
		return fmt.Errorf("end fetch of session %s: %w", sessionID, err)
	}
	return nil
}
