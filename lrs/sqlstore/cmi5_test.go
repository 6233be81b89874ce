package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/coursekit/coursekit/lrs"
	"github.com/coursekit/coursekit/lrs/cmi5"
)

// TestCMI5Store runs the launcher's store rules on both databases, with
// several connections at once where two launches or fetches can race.
func TestCMI5Store(t *testing.T) {
	for _, db := range testDatabases {
		t.Run(db.name, func(t *testing.T) {
			t.Run("AUs", func(t *testing.T) { testCMI5AUs(t, mustOpen(t, db.dsn(t))) })
			t.Run("Registrations", func(t *testing.T) { testCMI5Registrations(t, mustOpen(t, db.dsn(t))) })
			t.Run("Fetch", func(t *testing.T) { testCMI5Fetch(t, mustOpen(t, db.dsn(t))) })
			t.Run("OpenSessions", func(t *testing.T) { testCMI5OpenSessions(t, mustOpen(t, db.dsn(t))) })
		})
	}
}

var cmi5Time = time.Date(2026, 11, 23, 9, 30, 0, 123456000, time.UTC)

func testCMI5AUs(t *testing.T, s *Store) {
	ctx := context.Background()
	mastery := 0.8
	au := cmi5.AU{ID: "https://example.org/course/au", ActivityID: "urn:uuid:" + uuid.NewString(), CourseID: "https://example.org/course",
		URL: "https://courses.example.org/course/index.html", MoveOn: "CompletedAndPassed", MasteryScore: &mastery,
		LaunchParameters: "p=1", LaunchMethod: "AnyWindow", CreatedAt: cmi5Time, UpdatedAt: cmi5Time}
	got, err := s.PutAU(ctx, au)
	if err != nil {
		t.Fatalf("PutAU = %v", err)
	}
	if !reflect.DeepEqual(got, au) {
		t.Errorf("PutAU = %+v, want %+v", got, au)
	}

	// Updating keeps the activity id and creation time; the rest is replaced.
	upd := au
	upd.ActivityID, upd.URL, upd.MasteryScore, upd.MoveOn = "urn:uuid:"+uuid.NewString(), "https://cdn.example.org/index.html", nil, "Completed"
	upd.CreatedAt, upd.UpdatedAt = cmi5Time.Add(time.Hour), cmi5Time.Add(time.Hour)
	got, err = s.PutAU(ctx, upd)
	if err != nil {
		t.Fatalf("PutAU(update) = %v", err)
	}
	if got.ActivityID != au.ActivityID || !got.CreatedAt.Equal(cmi5Time) || got.URL != upd.URL || got.MasteryScore != nil ||
		got.MoveOn != "Completed" || !got.UpdatedAt.Equal(upd.UpdatedAt) {
		t.Errorf("PutAU(update) = %+v; want the first activity id and creation time, the rest updated", got)
	}
	if read, err := s.AU(ctx, au.ID); err != nil || !reflect.DeepEqual(read, got) {
		t.Errorf("AU = %+v, %v; want %+v", read, err, got)
	}
	if _, err := s.AU(ctx, "https://example.org/none"); !errors.Is(err, lrs.ErrNotFound) {
		t.Errorf("AU(unknown) = %v, want ErrNotFound", err)
	}
	lesson := au
	lesson.ID, lesson.ActivityID = "https://example.org/course/lessons/a", "urn:uuid:"+uuid.NewString()
	if _, err := s.PutAU(ctx, lesson); err != nil {
		t.Fatal(err)
	}
	aus, err := s.CourseAUs(ctx, au.CourseID)
	if err != nil || len(aus) != 2 || aus[0].ID != au.ID || aus[1].ID != lesson.ID {
		t.Errorf("CourseAUs = %+v, %v; want the two AUs by id", aus, err)
	}
	if aus, err := s.CourseAUs(ctx, "https://example.org/none"); err != nil || len(aus) != 0 {
		t.Errorf("CourseAUs(unknown) = %v, %v; want none", aus, err)
	}

	// Launches that define a new AU at once all get one activity id.
	const n = 8
	ids := make([]string, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			a := au
			a.ID, a.ActivityID = "https://example.org/course/race", "urn:uuid:"+uuid.NewString()
			got, err := s.PutAU(ctx, a)
			if err != nil {
				t.Errorf("PutAU #%d = %v", i, err)
			}
			ids[i] = got.ActivityID
		})
	}
	wg.Wait()
	for i := range ids {
		if ids[i] != ids[0] {
			t.Errorf("concurrent PutAU: activity ids %v, want one", ids)
			break
		}
	}
}

func testCMI5Registrations(t *testing.T, s *Store) {
	ctx := context.Background()
	reg := cmi5.Registration{ID: uuid.NewString(), CourseID: "https://example.org/course", Agent: "account:https://lms.example.org|jane-7", CreatedAt: cmi5Time}
	if _, err := s.Registration(ctx, reg.ID); !errors.Is(err, lrs.ErrNotFound) {
		t.Errorf("Registration(new) = %v, want ErrNotFound", err)
	}
	got, err := s.Register(ctx, reg)
	if err != nil || got != reg {
		t.Fatalf("Register = %+v, %v; want %+v", got, err, reg)
	}
	other := reg
	other.Agent, other.CreatedAt = "account:https://lms.example.org|john-8", cmi5Time.Add(time.Hour)
	if got, err := s.Register(ctx, other); err != nil || got != reg {
		t.Errorf("Register(taken id) = %+v, %v; want the stored %+v", got, err, reg)
	}
	if got, err := s.Registration(ctx, reg.ID); err != nil || got != reg {
		t.Errorf("Registration = %+v, %v; want %+v", got, err, reg)
	}
}

// storeAURegistration stores an AU and a learner's registration in its
// course, for the session tests.
func storeAURegistration(t *testing.T, s *Store) (cmi5.AU, cmi5.Registration) {
	t.Helper()
	ctx := context.Background()
	au := cmi5.AU{ID: "https://example.org/course/au", ActivityID: "urn:uuid:" + uuid.NewString(), CourseID: "https://example.org/course",
		URL: "https://courses.example.org/index.html", MoveOn: "Completed", LaunchMethod: "AnyWindow", CreatedAt: cmi5Time, UpdatedAt: cmi5Time}
	reg := cmi5.Registration{ID: uuid.NewString(), CourseID: au.CourseID, Agent: "account:https://lms.example.org|jane-7", CreatedAt: cmi5Time}
	if _, err := s.PutAU(ctx, au); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Register(ctx, reg); err != nil {
		t.Fatal(err)
	}
	return au, reg
}

func testCMI5Fetch(t *testing.T, s *Store) {
	ctx := context.Background()
	au, reg := storeAURegistration(t, s)
	sess := cmi5.Session{ID: uuid.NewString(), Registration: reg.ID, AUID: au.ID, ActivityID: au.ActivityID, Agent: reg.Agent,
		LaunchMode: "Normal", FetchHash: []byte("0123456789abcdef0123456789abcdef"), FetchExpires: cmi5Time.Add(10 * time.Minute), CreatedAt: cmi5Time}
	if err := s.InsertSession(ctx, sess); err != nil {
		t.Fatalf("InsertSession = %v", err)
	}
	got, err := s.SessionByFetch(ctx, sess.FetchHash)
	if err != nil || !reflect.DeepEqual(got, sess) {
		t.Fatalf("SessionByFetch = %+v, %v; want %+v", got, err, sess)
	}
	if _, err := s.SessionByFetch(ctx, []byte("another hash")); !errors.Is(err, lrs.ErrNotFound) {
		t.Errorf("SessionByFetch(unknown) = %v, want ErrNotFound", err)
	}

	// Of fetches at once, one stores its token; the others store nothing.
	const n = 8
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			errs[i] = s.RedeemFetch(ctx, sess.ID, cmi5Time.Add(time.Minute), lrs.Credential{Key: fmt.Sprintf("token-%d", i),
				SecretHash: []byte("h"), Name: "cmi5 session", Scopes: []string{"state"}, Authority: []byte(`{}`), CreatedAt: cmi5Time,
				ExpiresAt: cmi5Time.Add(time.Hour), Restriction: &lrs.Restriction{Agent: reg.Agent}})
		})
	}
	wg.Wait()
	winner := -1
	for i, err := range errs {
		switch {
		case err == nil && winner < 0:
			winner = i
		case err == nil:
			t.Errorf("RedeemFetch #%d and #%d both succeeded", winner, i)
		case !errors.Is(err, cmi5.ErrFetchUsed):
			t.Errorf("RedeemFetch #%d = %v, want ErrFetchUsed", i, err)
		}
	}
	if winner < 0 {
		t.Fatal("no RedeemFetch succeeded")
	}
	got, err = s.SessionByFetch(ctx, sess.FetchHash)
	if err != nil || !got.FetchedAt.Equal(cmi5Time.Add(time.Minute)) || got.CredentialKey != fmt.Sprintf("token-%d", winner) {
		t.Errorf("after RedeemFetch: %+v, %v; want fetched with token-%d", got, err, winner)
	}
	creds, err := s.Credentials(ctx)
	if err != nil {
		t.Fatal(err)
	}
	tokens := 0
	for _, c := range creds {
		if c.Restriction != nil {
			tokens++
		}
	}
	if tokens != 1 {
		t.Errorf("%d tokens stored, want 1", tokens)
	}
}

// testCMI5OpenSessions: a session is open while its fetch URL is unused
// and unexpired, or its token unexpired and unrevoked; EndFetch closes an
// unused fetch URL.
func testCMI5OpenSessions(t *testing.T, s *Store) {
	ctx := context.Background()
	au, reg := storeAURegistration(t, s)
	// Sessions launched a minute apart, each fetch URL good for ten.
	for i := range 4 {
		at := cmi5Time.Add(time.Duration(i) * time.Minute)
		sess := cmi5.Session{ID: fmt.Sprintf("s%d", i), Registration: reg.ID, AUID: au.ID, ActivityID: au.ActivityID, Agent: reg.Agent,
			LaunchMode: "Normal", FetchHash: []byte(fmt.Sprintf("hash-%d-0123456789abcdef01234567", i)), FetchExpires: at.Add(10 * time.Minute), CreatedAt: at}
		if err := s.InsertSession(ctx, sess); err != nil {
			t.Fatal(err)
		}
	}
	// s1's token lasts an hour; s2's expired at its fourth minute.
	for _, tok := range []struct {
		session string
		expires time.Time
	}{{"s1", cmi5Time.Add(time.Hour)}, {"s2", cmi5Time.Add(4 * time.Minute)}} {
		err := s.RedeemFetch(ctx, tok.session, cmi5Time.Add(2*time.Minute), lrs.Credential{Key: "token-" + tok.session,
			SecretHash: []byte("h"), Name: "cmi5 session", Scopes: []string{"state"}, Authority: []byte(`{}`), CreatedAt: cmi5Time,
			ExpiresAt: tok.expires, Restriction: &lrs.Restriction{Agent: reg.Agent}})
		if err != nil {
			t.Fatal(err)
		}
	}
	open := func(at time.Time) []string {
		t.Helper()
		got, err := s.OpenSessions(ctx, reg.ID, au.ID, at)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, sess := range got {
			out = append(out, sess.ID)
		}
		return out
	}
	// At the fifth minute: s0 and s3 unfetched and unexpired, s1 fetched
	// with a live token; s2's token has expired.
	if got := open(cmi5Time.Add(5 * time.Minute)); !reflect.DeepEqual(got, []string{"s0", "s1", "s3"}) {
		t.Errorf("OpenSessions at 5 min = %v, want [s0 s1 s3]", got)
	}
	if err := s.EndFetch(ctx, "s3", cmi5Time.Add(5*time.Minute)); err != nil {
		t.Fatal(err)
	}
	// At the eleventh: s0's fetch URL expired, s3's was ended.
	if got := open(cmi5Time.Add(11 * time.Minute)); !reflect.DeepEqual(got, []string{"s1"}) {
		t.Errorf("OpenSessions at 11 min = %v, want [s1]", got)
	}
	if got, err := s.OpenSessions(ctx, reg.ID, "https://example.org/course/other-au", cmi5Time); err != nil || len(got) != 0 {
		t.Errorf("OpenSessions of another AU = %v, %v; want none", got, err)
	}
}
