package lrs

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/coursekit/coursekit/pkg/xapi"
)

func (s *credentialStore) ExpireCredential(_ context.Context, key string, at time.Time) error {
	c, ok := s.creds[key]
	if !ok {
		return ErrNotFound
	}
	if c.ExpiresAt.IsZero() || c.ExpiresAt.After(at) {
		c.ExpiresAt = at
	}
	s.creds[key] = c
	return nil
}

const (
	testSession = "8c1d2b4e-0f6a-4c3b-9e3d-1a2b3c4d5e6f"
	testReg     = "0b8f7a52-3c6d-4e1f-8a9b-0c1d2e3f4a5b"
	testAU      = "urn:uuid:6a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d"
	sessionExt  = "https://w3id.org/xapi/cmi5/context/extensions/sessionid"
	launched    = "http://adlnet.gov/expapi/verbs/launched"
	terminated  = "http://adlnet.gov/expapi/verbs/terminated"
)

var testRestriction = &Restriction{
	Agent: "account:https://lms.example.org|jane-7", Registration: testReg, ActivityID: testAU,
	Extension: sessionExt, Value: testSession,
	ReadOnlyState: []string{"LMS.LaunchData"}, Profiles: []string{"cmi5LearnerPreferences"},
	DeniedVerbs: []string{launched}, EndVerb: terminated, Grace: time.Minute,
}

// sessionStatement is a statement of the test session, changed by edit.
func sessionStatement(t *testing.T, edit func(string) string) *xapi.Statement {
	t.Helper()
	js := `{"actor":{"account":{"homePage":"https://lms.example.org","name":"jane-7"}},
		"verb":{"id":"http://adlnet.gov/expapi/verbs/initialized"},"object":{"id":"` + testAU + `"},
		"context":{"registration":"` + testReg + `","extensions":{"` + sessionExt + `":"` + testSession + `"}}}`
	st, err := xapi.DecodeStatement([]byte(edit(js)), xapi.Version103)
	if err != nil {
		t.Fatalf("decode: %v", err)
	}
	return st
}

func TestRestrictionStatements(t *testing.T) {
	same := func(s string) string { return s }
	tests := []struct {
		name     string
		edit     func(string) string
		property string // "" when allowed
	}{
		{"the session's statement", same, ""},
		{"another learner", func(s string) string { return strings.Replace(s, "jane-7", "john-8", 1) }, "actor"},
		{"the learner by e-mail", func(s string) string {
			return strings.Replace(s, `{"account":{"homePage":"https://lms.example.org","name":"jane-7"}}`, `{"mbox":"mailto:jane@example.org"}`, 1)
		}, "actor"},
		{"another registration", func(s string) string {
			return strings.Replace(s, `"registration":"`+testReg, `"registration":"`+testSession, 1)
		}, "context.registration"},
		{"no context", func(s string) string { return strings.TrimRight(s[:strings.Index(s, `"context"`)], ",\n\t ") + "}" }, "context.registration"},
		{"another session", func(s string) string { return strings.Replace(s, `":"`+testSession, `":"other`, 1) }, "context.extensions." + sessionExt},
		{"no session", func(s string) string { return strings.Replace(s, sessionExt, "https://example.org/ext", 1) }, "context.extensions." + sessionExt},
		{"a voiding statement", func(s string) string {
			s = strings.Replace(s, "http://adlnet.gov/expapi/verbs/initialized", "http://adlnet.gov/expapi/verbs/voided", 1)
			return strings.Replace(s, `"object":{"id":"`+testAU+`"}`, `"object":{"objectType":"StatementRef","id":"`+testSession+`"}`, 1)
		}, "verb.id"},
		{"the launcher's verb", func(s string) string {
			return strings.Replace(s, "http://adlnet.gov/expapi/verbs/initialized", launched, 1)
		}, "verb.id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := testRestriction.CheckStatement(2, sessionStatement(t, tt.edit))
			var fe *ForbiddenError
			switch {
			case tt.property == "" && err != nil:
				t.Errorf("CheckStatement = %v, want allowed", err)
			case tt.property != "" && (!errors.As(err, &fe) || fe.Property != "[2]."+tt.property):
				t.Errorf("CheckStatement = %v, want a ForbiddenError on [2].%s", err, tt.property)
			}
		})
	}
	if err := testRestriction.CheckStatement(-1, sessionStatement(t, func(s string) string { return strings.Replace(s, "jane-7", "x", 1) })); err == nil || !strings.HasPrefix(err.Error(), "actor:") {
		t.Errorf("CheckStatement(single) = %v, want the property without an index", err)
	}
}

func TestRestrictionDocuments(t *testing.T) {
	state := func(id string) DocumentKey {
		return DocumentKey{Kind: KindState, ActivityID: testAU, Agent: testRestriction.Agent, Registration: testReg, ID: id}
	}
	with := func(k DocumentKey, edit func(*DocumentKey)) DocumentKey { edit(&k); return k }
	prefs := DocumentKey{Kind: KindAgentProfile, Agent: testRestriction.Agent, ID: "cmi5LearnerPreferences"}
	tests := []struct {
		name     string
		key      DocumentKey
		write    bool
		property string // "" when allowed
	}{
		{"read the launch data", state("LMS.LaunchData"), false, ""},
		{"write the launch data", state("LMS.LaunchData"), true, "stateId"},
		{"read own state", state("coursekit.progress"), false, ""},
		{"write own state", state("coursekit.progress"), true, ""},
		{"list own state", state(""), false, ""},
		{"delete all own state", state(""), true, "stateId"},
		{"another activity", with(state("x"), func(k *DocumentKey) { k.ActivityID = "https://example.org/other" }), false, "activityId"},
		{"another agent", with(state("x"), func(k *DocumentKey) { k.Agent = "mbox:mailto:x@example.org" }), true, "agent"},
		{"no registration", with(state("x"), func(k *DocumentKey) { k.Registration = "" }), false, "registration"},
		{"read the preferences", prefs, false, ""},
		{"write the preferences", prefs, true, "profileId"},
		{"another learner's preferences", with(prefs, func(k *DocumentKey) { k.Agent = "mbox:mailto:x@example.org" }), false, "agent"},
		{"another agent profile", with(prefs, func(k *DocumentKey) { k.ID = "other" }), false, "profileId"},
		{"list the agent profiles", with(prefs, func(k *DocumentKey) { k.ID = "" }), false, "profileId"},
		{"an activity profile", DocumentKey{Kind: KindActivityProfile, ActivityID: testAU, ID: "x"}, false, "resource"},
	}
	for _, tt := range tests {
		err := testRestriction.CheckDocument(tt.key, tt.write)
		var fe *ForbiddenError
		switch {
		case tt.property == "" && err != nil:
			t.Errorf("%s: CheckDocument = %v, want allowed", tt.name, err)
		case tt.property != "" && (!errors.As(err, &fe) || fe.Property != tt.property):
			t.Errorf("%s: CheckDocument = %v, want a ForbiddenError on %s", tt.name, err, tt.property)
		}
	}
}

func TestRestrictionEnds(t *testing.T) {
	term := func(s string) string {
		return strings.Replace(s, "http://adlnet.gov/expapi/verbs/initialized", terminated, 1)
	}
	other := func(s string) string {
		return strings.Replace(term(s), `"object":{"id":"`+testAU, `"object":{"id":"https://example.org/lesson`, 1)
	}
	if testRestriction.Ends([]xapi.Statement{*sessionStatement(t, func(s string) string { return s })}) {
		t.Error("Ends(initialized) = true")
	}
	if testRestriction.Ends([]xapi.Statement{*sessionStatement(t, other)}) {
		t.Error("Ends(terminated of another activity) = true")
	}
	if !testRestriction.Ends([]xapi.Statement{*sessionStatement(t, func(s string) string { return s }), *sessionStatement(t, term)}) {
		t.Error("Ends(initialized, terminated) = false")
	}
}

// A credential with an expiry stops working then, on a cache hit too, and
// Expire brings it forward but never back.
func TestCredentialExpiry(t *testing.T) {
	store := &credentialStore{creds: map[string]Credential{}}
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	creds := NewCredentials(store, func() time.Time { return now })
	ctx := context.Background()
	cred, secret, err := creds.Mint("cmi5 session", []string{"statements/write"}, now.Add(time.Hour), testRestriction)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := store.creds[cred.Key]; ok {
		t.Fatal("Mint stored the credential")
	}
	store.creds[cred.Key] = cred
	got, err := creds.Authenticate(ctx, cred.Key, secret)
	if err != nil || got.Restriction != testRestriction || !got.ExpiresAt.Equal(now.Add(time.Hour)) {
		t.Fatalf("Authenticate = %+v, %v; want the credential with its restriction and expiry", got, err)
	}
	now = now.Add(10 * time.Second) // within the cache window
	if err := creds.Expire(ctx, cred.Key, now.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if err := creds.Expire(ctx, cred.Key, now.Add(2*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if got := store.creds[cred.Key].ExpiresAt; !got.Equal(now.Add(time.Minute)) {
		t.Errorf("expiry after Expire(+1m) and Expire(+2h) = %v, want %v", got, now.Add(time.Minute))
	}
	if _, err := creds.Authenticate(ctx, cred.Key, secret); err != nil {
		t.Errorf("Authenticate before the new expiry: %v", err)
	}
	now = now.Add(time.Minute)
	if _, err := creds.Authenticate(ctx, cred.Key, secret); !errors.Is(err, ErrUnauthorized) {
		t.Errorf("Authenticate at the expiry (cached) = %v, want ErrUnauthorized", err)
	}
	if err := creds.Expire(ctx, "nope", now); !errors.Is(err, ErrNotFound) {
		t.Errorf("Expire(unknown) = %v, want ErrNotFound", err)
	}
}
