package cmi5

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"

	"github.com/coursekit/coursekit/lrs"
)

// tokenScopes are the resources a token may use at all; its restriction
// narrows them to its session's records.
var tokenScopes = []string{string(lrs.ScopeStatementsWrite), string(lrs.ScopeState), string(lrs.ScopeProfile)}

// lmsVerbs are the cmi5 verbs only the LMS sends (§9.3).
var lmsVerbs = []string{VerbLaunched, VerbAbandoned, VerbWaived, VerbSatisfied}

// Fetch answers a fetch URL's code with the session's token, once: the
// base64 of KEY:SECRET, which the AU sends as HTTP Basic credentials
// (§8.2). It returns ErrFetchUsed, ErrFetchExpired or ErrFetchInvalid when
// it hands out nothing.
func (l *Launcher) Fetch(ctx context.Context, code string) (string, error) {
	if len(code) != 43 { // randomCode's length
		return "", ErrFetchInvalid
	}
	sess, err := l.store.SessionByFetch(ctx, hashCode(code))
	switch {
	case errors.Is(err, lrs.ErrNotFound):
		return "", ErrFetchInvalid
	case err != nil:
		return "", fmt.Errorf("fetch: %w", err)
	case !sess.FetchedAt.IsZero():
		return "", ErrFetchUsed
	}
	now := l.now().UTC()
	if !now.Before(sess.FetchExpires) {
		return "", ErrFetchExpired
	}
	r := &lrs.Restriction{
		Agent: sess.Agent, Registration: sess.Registration, ActivityID: sess.ActivityID,
		Extension: ExtSessionID, Value: sess.ID,
		ReadOnlyState: []string{LaunchDataID}, Profiles: []string{LearnerPreferences},
		DeniedVerbs: lmsVerbs, EndVerb: VerbTerminated, Grace: l.cfg.Grace,
	}
	cred, secret, err := l.creds.Mint("cmi5 session "+sess.ID, tokenScopes, now.Add(l.cfg.SessionTTL), r)
	if err != nil {
		return "", fmt.Errorf("fetch: %w", err)
	}
	// Two fetches of one URL at once both get here; the store lets one
	// of them through.
	if err := l.store.RedeemFetch(ctx, sess.ID, now, cred); err != nil {
		if errors.Is(err, ErrFetchUsed) {
			return "", ErrFetchUsed
		}
		return "", fmt.Errorf("fetch: %w", err)
	}
	return base64.StdEncoding.EncodeToString([]byte(cred.Key + ":" + secret)), nil
}
