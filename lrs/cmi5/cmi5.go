// Package cmi5 is coursekit serve's own cmi5 launcher: the LMS side of
// cmi5's launch (cmi5 §8, §10), so that a cmi5 course can be tried end to
// end, and tested, without an LMS.
//
// A launch registers the learner in the course (a registration), writes
// LMS.LaunchData to the State resource, records the launched statement and
// returns the AU's launch URL with a one-time fetch URL. The fetch URL
// hands out, once, a token: a credential of the LRS that expires and is
// restricted (lrs.Restriction) to the session's learner, registration and
// AU.
package cmi5

import (
	"context"
	"errors"
	"time"

	"github.com/coursekit/coursekit/lrs"
)

// IRIs of cmi5 (§9.3, §9.6).
const (
	VerbLaunched   = "http://adlnet.gov/expapi/verbs/launched"
	VerbTerminated = "http://adlnet.gov/expapi/verbs/terminated"
	VerbAbandoned  = "https://w3id.org/xapi/adl/verbs/abandoned"
	VerbWaived     = "https://w3id.org/xapi/adl/verbs/waived"
	VerbSatisfied  = "https://w3id.org/xapi/adl/verbs/satisfied"

	CategoryCMI5 = "https://w3id.org/xapi/cmi5/context/categories/cmi5"

	ExtSessionID        = "https://w3id.org/xapi/cmi5/context/extensions/sessionid"
	ExtMasteryScore     = "https://w3id.org/xapi/cmi5/context/extensions/masteryscore"
	ExtLaunchMode       = "https://w3id.org/xapi/cmi5/context/extensions/launchmode"
	ExtLaunchURL        = "https://w3id.org/xapi/cmi5/context/extensions/launchurl"
	ExtMoveOn           = "https://w3id.org/xapi/cmi5/context/extensions/moveon"
	ExtLaunchParameters = "https://w3id.org/xapi/cmi5/context/extensions/launchparameters"
)

// Document ids the launch writes or the AU reads.
const (
	LaunchDataID       = "LMS.LaunchData"
	LearnerPreferences = "cmi5LearnerPreferences"
)

// AU is an assignable unit the launcher has launched.
type AU struct {
	// ID is the AU's id in cmi5.xml (its publisher id).
	ID string
	// ActivityID is the id the launcher made up for the AU (§8.1.5): the
	// object of its cmi5 defined statements, the same for every launch.
	ActivityID string
	CourseID   string
	// URL is where the AU is served, without launch parameters.
	URL              string
	MoveOn           string
	MasteryScore     *float64
	LaunchParameters string
	LaunchMethod     string
	CreatedAt        time.Time
	UpdatedAt        time.Time
}

// Registration is one learner's enrolment in one course.
type Registration struct {
	ID       string
	CourseID string
	// Agent is the learner's identifier (xapi.Agent.IFI).
	Agent     string
	CreatedAt time.Time
}

// Session is one launch of an AU.
type Session struct {
	ID           string
	Registration string
	AUID         string
	ActivityID   string
	Agent        string
	LaunchMode   string
	// FetchHash is the SHA-256 of the fetch URL's one-time code.
	FetchHash    []byte
	FetchExpires time.Time
	// FetchedAt is zero until the token has been fetched.
	FetchedAt     time.Time
	CredentialKey string
	CreatedAt     time.Time
}

// Store keeps AUs, registrations and sessions. Every method is safe for
// concurrent use, also by several processes sharing a database.
type Store interface {
	// PutAU inserts the AU, or updates the stored one's fields but its
	// ActivityID and CreatedAt, and returns what is stored.
	PutAU(ctx context.Context, au AU) (AU, error)
	// AU returns the AU with this id, or lrs.ErrNotFound.
	AU(ctx context.Context, id string) (AU, error)
	// CourseAUs returns the AUs of a course, by id.
	CourseAUs(ctx context.Context, courseID string) ([]AU, error)
	// Registration returns the registration, or lrs.ErrNotFound.
	Registration(ctx context.Context, id string) (Registration, error)
	// Register stores the registration unless its id is stored already,
	// and returns the stored one.
	Register(ctx context.Context, r Registration) (Registration, error)
	InsertSession(ctx context.Context, s Session) error
	// SessionByFetch returns the session whose fetch code has this hash,
	// or lrs.ErrNotFound.
	SessionByFetch(ctx context.Context, hash []byte) (Session, error)
	// RedeemFetch marks the session fetched at at and stores the token's
	// credential, in one transaction, if the session was not fetched
	// before; otherwise it returns ErrFetchUsed and stores nothing.
	RedeemFetch(ctx context.Context, sessionID string, at time.Time, token lrs.Credential) error
	// OpenSessions returns the sessions of the registration's AU that can
	// still be used at at: an unused fetch URL that has not expired, or a
	// token that has not.
	OpenSessions(ctx context.Context, registration, auID string, at time.Time) ([]Session, error)
	// EndFetch makes the session's fetch URL unusable from at.
	EndFetch(ctx context.Context, sessionID string, at time.Time) error
}

// Errors of the fetch URL, which the API answers with cmi5's error codes
// (§8.2.3).
var (
	// ErrFetchUsed: the token has been fetched already (error-code 1).
	ErrFetchUsed = errors.New("the authorization token has already been returned")
	// ErrFetchExpired: the fetch URL was not used in time (error-code 1,
	// "the AU session has expired").
	ErrFetchExpired = errors.New("the launch has expired")
	// ErrFetchInvalid: no launch has this fetch URL (error-code 2).
	ErrFetchInvalid = errors.New("no launch has this fetch URL")
)

// InvalidError is a launch request the launcher refuses (400): Property
// names the member of the request body, Rule says what it must be.
type InvalidError struct {
	Property, Rule string
}

func (e *InvalidError) Error() string { return e.Property + ": " + e.Rule }

// ConflictError is a launch that contradicts what is stored (409): a
// registration of another learner or course.
type ConflictError struct {
	Property, Rule string
}

func (e *ConflictError) Error() string { return e.Property + ": " + e.Rule }
