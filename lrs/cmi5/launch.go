package cmi5

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/coursekit/coursekit/lrs"
	"github.com/coursekit/coursekit/pkg/xapi"
)

// Config holds the launcher's lifetimes.
type Config struct {
	// FetchTTL is how long a fetch URL may be used after the launch.
	FetchTTL time.Duration
	// SessionTTL is how long a token lasts after it is fetched: the
	// longest session.
	SessionTTL time.Duration
	// Grace is how long a token outlives its session's terminated
	// statement, so that statements still on their way (the player's
	// last keepalive requests) land.
	Grace time.Duration
}

// Default lifetimes.
const (
	DefaultFetchTTL   = 10 * time.Minute
	DefaultSessionTTL = 12 * time.Hour
	DefaultGrace      = 10 * time.Minute
)

// Launcher launches AUs. It writes through the LRS's own services, so the
// launch data and the launched statement are stored as any client's are.
type Launcher struct {
	store Store
	creds *lrs.Credentials
	docs  *lrs.Documents
	svc   *lrs.Service
	cfg   Config
	now   func() time.Time
}

// NewLauncher returns a launcher over store and the LRS's services, with
// the given clock. Zero lifetimes in cfg take the defaults.
func NewLauncher(store Store, creds *lrs.Credentials, docs *lrs.Documents, svc *lrs.Service, cfg Config, now func() time.Time) *Launcher {
	if cfg.FetchTTL <= 0 {
		cfg.FetchTTL = DefaultFetchTTL
	}
	if cfg.SessionTTL <= 0 {
		cfg.SessionTTL = DefaultSessionTTL
	}
	if cfg.Grace <= 0 {
		cfg.Grace = DefaultGrace
	}
	return &Launcher{store: store, creds: creds, docs: docs, svc: svc, cfg: cfg, now: now}
}

// Launch is a launched session: what the learner's browser opens, and what
// the launcher recorded.
type Launch struct {
	// URL is the AU's URL with the launch parameters (§8.1).
	URL string `json:"url"`
	// FetchURL is the one-time URL of the token, also in URL.
	FetchURL     string          `json:"fetchURL"`
	FetchExpires time.Time       `json:"fetchExpires"`
	Endpoint     string          `json:"endpoint"`
	Actor        json.RawMessage `json:"actor"`
	Registration string          `json:"registration"`
	SessionID    string          `json:"sessionId"`
	ActivityID   string          `json:"activityId"`
	AU           string          `json:"au"`
	Course       string          `json:"course"`
	LaunchMode   string          `json:"launchMode"`
}

// launcherAuthority is the authority of the statements the launcher
// records: the LRS itself, not the credential that asked for the launch.
var launcherAuthority = xapi.Agent{ObjectType: "Agent", Name: "coursekit cmi5 launcher",
	Account: &xapi.Account{HomePage: "https://coursekit.invalid/lrs", Name: "cmi5-launcher"}}

// Launch launches an AU for a learner. base is the LRS's URL as the
// learner's browser reaches it (scheme and host, perhaps a path), under
// which the xAPI endpoint and the fetch URL are. A request the launcher
// refuses (*InvalidError, *ConflictError) changes nothing.
func (l *Launcher) Launch(ctx context.Context, req Request, base string) (Launch, error) {
	if err := req.validate(); err != nil {
		return Launch{}, err
	}
	actor, agent, err := req.Learner.actor()
	if err != nil {
		return Launch{}, err
	}
	au, err := l.resolveAU(ctx, req)
	if err != nil {
		return Launch{}, err
	}
	reg := Registration{ID: req.Registration, CourseID: au.CourseID, Agent: agent, CreatedAt: l.now().UTC()}
	if reg.ID == "" {
		reg.ID = uuid.NewString()
	} else if err := l.checkRegistration(ctx, reg); err != nil {
		return Launch{}, err
	}
	// Nothing was refused: from here on the launch is recorded.
	if au, err = l.store.PutAU(ctx, au); err != nil {
		return Launch{}, fmt.Errorf("launch: %w", err)
	}
	stored, err := l.store.Register(ctx, reg)
	if err != nil {
		return Launch{}, fmt.Errorf("launch: %w", err)
	}
	if err := sameRegistration(stored, reg); err != nil {
		return Launch{}, err // another launch took the id in between
	}
	if err := l.abandonOpen(ctx, au, reg.ID, actor); err != nil {
		return Launch{}, err
	}

	code := randomCode()
	now := l.now().UTC().Truncate(time.Millisecond)
	sess := Session{ID: uuid.NewString(), Registration: reg.ID, AUID: au.ID, ActivityID: au.ActivityID, Agent: agent,
		LaunchMode: req.LaunchMode, FetchHash: hashCode(code), FetchExpires: now.Add(l.cfg.FetchTTL), CreatedAt: now}
	if err := l.writeLaunchData(ctx, au, sess, agent, req.ReturnURL); err != nil {
		return Launch{}, err
	}
	if err := l.recordLaunched(ctx, au, sess, actor, now); err != nil {
		return Launch{}, err
	}
	// Last, so that the fetch URL works only once the launch data and the
	// launched statement are stored (§9.3.1, §10: before the AU launches).
	if err := l.store.InsertSession(ctx, sess); err != nil {
		return Launch{}, fmt.Errorf("launch: %w", err)
	}

	base = strings.TrimRight(base, "/")
	out := Launch{
		FetchURL: base + "/cmi5/fetch/" + code, FetchExpires: sess.FetchExpires, Endpoint: base + "/xapi/",
		Actor: actor, Registration: reg.ID, SessionID: sess.ID, ActivityID: au.ActivityID, AU: au.ID,
		Course: au.CourseID, LaunchMode: sess.LaunchMode,
	}
	out.URL = launchURL(au.URL, [][2]string{
		{"endpoint", out.Endpoint}, {"fetch", out.FetchURL}, {"actor", string(actor)},
		{"registration", reg.ID}, {"activityId", au.ActivityID},
	})
	return out, nil
}

// resolveAU returns the AU the request names, with what the request gives
// laid over what is stored; a new AU gets its activity id here.
func (l *Launcher) resolveAU(ctx context.Context, req Request) (AU, error) {
	var au AU
	switch {
	case req.AU == "":
		aus, err := l.store.CourseAUs(ctx, req.Course)
		if err != nil {
			return AU{}, fmt.Errorf("launch: %w", err)
		}
		switch len(aus) {
		case 0:
			return AU{}, &InvalidError{"course", "names no course the LRS knows: launch one of its AUs with au and url first"}
		case 1:
			au = aus[0]
		default:
			return AU{}, &InvalidError{"au", fmt.Sprintf("is required: the course has %d AUs the LRS knows, name one", len(aus))}
		}
	default:
		stored, err := l.store.AU(ctx, req.AU)
		switch {
		case errors.Is(err, lrs.ErrNotFound) && req.URL == "":
			return AU{}, &InvalidError{"url", "is required: the LRS does not know this AU yet, so say where it is served"}
		case errors.Is(err, lrs.ErrNotFound):
			au = AU{ID: req.AU, ActivityID: newActivityID(), CourseID: req.AU, MoveOn: "NotApplicable", LaunchMethod: "AnyWindow"}
		case err != nil:
			return AU{}, fmt.Errorf("launch: %w", err)
		default:
			au = stored
		}
	}
	if req.Course != "" {
		au.CourseID = req.Course
	}
	if req.URL != "" {
		au.URL = req.URL
	}
	if req.MoveOn != "" {
		au.MoveOn = req.MoveOn
	}
	if req.MasteryScore != nil {
		m := *req.MasteryScore
		au.MasteryScore = &m
	}
	if req.LaunchParameters != nil {
		au.LaunchParameters = *req.LaunchParameters
	}
	if req.LaunchMethod != "" {
		au.LaunchMethod = req.LaunchMethod
	}
	au.UpdatedAt = l.now().UTC()
	if au.CreatedAt.IsZero() {
		au.CreatedAt = au.UpdatedAt
	}
	return au, nil
}

// checkRegistration refuses a registration id that is another learner's
// or another course's.
func (l *Launcher) checkRegistration(ctx context.Context, reg Registration) error {
	stored, err := l.store.Registration(ctx, reg.ID)
	if errors.Is(err, lrs.ErrNotFound) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("launch: %w", err)
	}
	return sameRegistration(stored, reg)
}

func sameRegistration(stored, reg Registration) error {
	switch {
	case stored.Agent != reg.Agent:
		return &ConflictError{"registration", "belongs to another learner; leave it out to start a new registration"}
	case stored.CourseID != reg.CourseID:
		return &ConflictError{"registration", "belongs to the course " + stored.CourseID + ", not " + reg.CourseID + "; leave it out to start a new registration"}
	}
	return nil
}

// newActivityID makes up the activity id of a new AU: it must differ from
// the AU's own id (§8.1.5) and be the same on every launch, so it is kept.
func newActivityID() string {
	return "urn:uuid:" + uuid.NewString()
}

// randomCode is a fetch URL's one-time code: 256 random bits.
func randomCode() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// hashCode is what the store keeps of a code: a leaked database does not
// hand out tokens. A plain hash suffices for 256 random bits.
func hashCode(code string) []byte {
	sum := sha256.Sum256([]byte(code))
	return sum[:]
}

// launchURL adds the launch parameters to the AU's URL, after its own (a
// lesson AU's ?lesson=ID), which stay as they were. Values are
// percent-encoded, a space as %20, not +: an AU may decode them with
// decodeURIComponent, which leaves + alone, and a learner's name would
// then differ from the one the token is restricted to.
func launchURL(au string, params [][2]string) string {
	u, _ := url.Parse(au) // validated
	q := u.RawQuery
	for _, p := range params {
		if q != "" {
			q += "&"
		}
		q += p[0] + "=" + strings.ReplaceAll(url.QueryEscape(p[1]), "+", "%20")
	}
	u.RawQuery = q
	return u.String()
}

// abandonOpen ends the sessions of the AU that the registration still has
// open before it is launched again (§9.3.6: the previous session "MUST be
// abandoned"): their fetch URLs and tokens stop working at once, and each
// gets an abandoned statement. A session whose terminated statement is
// stored is over already; its token keeps its grace.
func (l *Launcher) abandonOpen(ctx context.Context, au AU, registration string, actor json.RawMessage) error {
	now := l.now().UTC().Truncate(time.Millisecond)
	open, err := l.store.OpenSessions(ctx, registration, au.ID, now)
	if err != nil || len(open) == 0 {
		return err
	}
	ended, err := l.terminated(ctx, au, registration)
	if err != nil {
		return err
	}
	for _, sess := range open {
		if ended[sess.ID] {
			continue
		}
		if err := l.store.EndFetch(ctx, sess.ID, now); err != nil {
			return fmt.Errorf("abandon session: %w", err)
		}
		if sess.CredentialKey != "" {
			if err := l.creds.Expire(ctx, sess.CredentialKey, now); err != nil {
				return fmt.Errorf("abandon session: %w", err)
			}
		}
		if err := l.recordAbandoned(ctx, au, sess, actor, now); err != nil {
			return err
		}
	}
	return nil
}

// terminated returns the ids of the registration's sessions of the AU
// whose terminated statement is stored.
func (l *Launcher) terminated(ctx context.Context, au AU, registration string) (map[string]bool, error) {
	ids := map[string]bool{}
	f := lrs.StatementFilter{Verb: VerbTerminated, Activity: au.ActivityID, Registration: registration}
	for {
		page, err := l.svc.Statements(ctx, f, lrs.ReadOptions{})
		if err != nil {
			return nil, fmt.Errorf("terminated sessions: %w", err)
		}
		for _, got := range page.Statements {
			var st struct {
				Context struct {
					Extensions map[string]any `json:"extensions"`
				} `json:"context"`
			}
			if json.Unmarshal(got.JSON, &st) == nil {
				if id, ok := st.Context.Extensions[ExtSessionID].(string); ok {
					ids[id] = true
				}
			}
		}
		if page.More == nil {
			return ids, nil
		}
		f.After = page.More
	}
}
