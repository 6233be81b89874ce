package storetest

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/coursekit/coursekit/lrs"
)

// testCredentialExpiry: a credential's expiry and restriction read back as
// written, and ExpireCredential brings the expiry forward, never back.
func testCredentialExpiry(t *testing.T, s lrs.Store) {
	ctx := context.Background()
	created := time.Date(2024, 3, 4, 5, 6, 7, 891011000, time.UTC)
	token := lrs.Credential{
		Key: "key-token", SecretHash: []byte("hash"), Name: "cmi5 session", Scopes: []string{"statements/write", "state"},
		Authority: []byte(`{"mbox":"mailto:lrs@example.com"}`), CreatedAt: created, ExpiresAt: created.Add(12 * time.Hour),
		Restriction: &lrs.Restriction{Agent: "account:https://lms.example.org|jane-7", Registration: newID(), ActivityID: "urn:uuid:" + newID(),
			Extension: "https://w3id.org/xapi/cmi5/context/extensions/sessionid", Value: "s-1", ReadOnlyState: []string{"LMS.LaunchData"},
			Profiles: []string{"cmi5LearnerPreferences"}, DeniedVerbs: []string{"http://adlnet.gov/expapi/verbs/launched"},
			EndVerb: "http://adlnet.gov/expapi/verbs/terminated", Grace: 10 * time.Minute},
	}
	plain := lrs.Credential{Key: "key-plain", SecretHash: []byte("h"), Name: "admin", Scopes: []string{"all"},
		Authority: []byte(`{"mbox":"mailto:admin@example.com"}`), CreatedAt: created}
	for _, c := range []lrs.Credential{token, plain} {
		if err := s.InsertCredential(ctx, c); err != nil {
			t.Fatalf("InsertCredential(%q) = %v", c.Key, err)
		}
	}
	check := func(key string, wantExpiry time.Time, wantRestriction *lrs.Restriction) {
		t.Helper()
		got, err := s.Credential(ctx, key)
		if err != nil {
			t.Fatalf("Credential(%q) = %v", key, err)
		}
		if !got.ExpiresAt.Equal(wantExpiry) || !reflect.DeepEqual(got.Restriction, wantRestriction) {
			t.Errorf("Credential(%q): expires %v, restriction %+v; want %v, %+v", key, got.ExpiresAt, got.Restriction, wantExpiry, wantRestriction)
		}
	}
	check(token.Key, token.ExpiresAt, token.Restriction)
	check(plain.Key, time.Time{}, nil)

	soon := created.Add(time.Hour)
	if err := s.ExpireCredential(ctx, token.Key, soon); err != nil {
		t.Fatalf("ExpireCredential = %v", err)
	}
	if err := s.ExpireCredential(ctx, token.Key, soon.Add(time.Hour)); err != nil {
		t.Fatalf("ExpireCredential(later) = %v", err)
	}
	check(token.Key, soon, token.Restriction)
	if err := s.ExpireCredential(ctx, plain.Key, soon); err != nil {
		t.Fatalf("ExpireCredential(no expiry) = %v", err)
	}
	check(plain.Key, soon, nil)
	if err := s.ExpireCredential(ctx, "key-missing", soon); !errors.Is(err, lrs.ErrNotFound) {
		t.Errorf("ExpireCredential(missing) = %v, want ErrNotFound", err)
	}
}
