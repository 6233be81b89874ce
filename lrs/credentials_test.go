package lrs

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"
)

// credentialStore keeps credentials in memory; other Store methods panic.
type credentialStore struct {
	Store
	creds map[string]Credential
	reads atomic.Int64
	// gate, when set, holds every read until it is closed.
	gate chan struct{}
}

func (s *credentialStore) InsertCredential(_ context.Context, c Credential) error {
	s.creds[c.Key] = c
	return nil
}

func (s *credentialStore) Credential(_ context.Context, key string) (Credential, error) {
	s.reads.Add(1)
	if s.gate != nil {
		<-s.gate
	}
	c, ok := s.creds[key]
	if !ok {
		return Credential{}, ErrNotFound
	}
	return c, nil
}

func (s *credentialStore) RevokeCredential(_ context.Context, key string, at time.Time) error {
	c, ok := s.creds[key]
	if !ok {
		return ErrNotFound
	}
	c.RevokedAt = at
	s.creds[key] = c
	return nil
}

func TestCredentials(t *testing.T) {
	store := &credentialStore{creds: map[string]Credential{}}
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	creds := NewCredentials(store, func() time.Time { return now })
	ctx := context.Background()

	key, secret, err := creds.Create(ctx, "Moodle", []string{"statements/write"})
	if err != nil {
		t.Fatal(err)
	}
	stored := store.creds[key]
	if strings.Contains(string(stored.SecretHash), secret) || !strings.HasPrefix(string(stored.SecretHash), "$argon2id$") {
		t.Errorf("secret stored as %q, want an argon2id hash that does not contain it", stored.SecretHash)
	}
	if strings.ContainsAny(key, ":") || len(secret) < 32 {
		t.Errorf("key %q / secret %q: the key must not hold ':' and the secret must be long", key, secret)
	}
	var authority map[string]any
	if err := json.Unmarshal(stored.Authority, &authority); err != nil || authority["objectType"] != "Agent" {
		t.Errorf("authority = %s, want an Agent", stored.Authority)
	}

	if _, err := creds.Authenticate(ctx, key, secret); err != nil {
		t.Fatalf("Authenticate with the right secret: %v", err)
	}
	reads := store.reads.Load()
	if _, err := creds.Authenticate(ctx, key, secret); err != nil || store.reads.Load() != reads {
		t.Errorf("second Authenticate: err %v, store reads %d → %d; want a cache hit", err, reads, store.reads.Load())
	}
	for _, tt := range []struct{ key, secret string }{{key, secret + "x"}, {key, ""}, {"nope", secret}} {
		if _, err := creds.Authenticate(ctx, tt.key, tt.secret); !errors.Is(err, ErrUnauthorized) {
			t.Errorf("Authenticate(%q, %q) = %v, want ErrUnauthorized", tt.key, tt.secret, err)
		}
	}

	if err := creds.Revoke(ctx, key); err != nil {
		t.Fatal(err)
	}
	if _, err := creds.Authenticate(ctx, key, secret); !errors.Is(err, ErrUnauthorized) {
		t.Errorf("Authenticate after Revoke = %v, want ErrUnauthorized", err)
	}
	if err := creds.Revoke(ctx, "nope"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Revoke(unknown) = %v, want ErrNotFound", err)
	}
}

// A burst of requests with one credential, before it is cached, costs one
// read and one argon2id run (19 MiB each), not one per request.
func TestCredentialBurstVerifiesOnce(t *testing.T) {
	store := &credentialStore{creds: map[string]Credential{}}
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	creds := NewCredentials(store, func() time.Time { return now })
	key, secret, err := creds.Create(context.Background(), "bench", []string{"all"})
	if err != nil {
		t.Fatal(err)
	}
	synctest.Test(t, func(t *testing.T) {
		store.gate = make(chan struct{})
		const clients = 16
		errs := make(chan error, clients)
		for range clients {
			go func() {
				_, err := creds.Authenticate(context.Background(), key, secret)
				errs <- err
			}()
		}
		synctest.Wait() // one request reads the store, the others wait for it
		close(store.gate)
		for range clients {
			if err := <-errs; err != nil {
				t.Errorf("Authenticate: %v", err)
			}
		}
		if n := store.reads.Load(); n != 1 {
			t.Errorf("%d concurrent requests read the credential %d times, want once", clients, n)
		}
	})
}

func TestCredentialCacheExpires(t *testing.T) {
	store := &credentialStore{creds: map[string]Credential{}}
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	creds := NewCredentials(store, func() time.Time { return now })
	ctx := context.Background()
	key, secret, _ := creds.Create(ctx, "x", []string{"all"})
	if _, err := creds.Authenticate(ctx, key, secret); err != nil {
		t.Fatal(err)
	}
	// Revoked on another node: this node notices once its cache expires.
	c := store.creds[key]
	c.RevokedAt = now
	store.creds[key] = c
	if _, err := creds.Authenticate(ctx, key, secret); err != nil {
		t.Fatalf("within the cache window: %v", err)
	}
	now = now.Add(31 * time.Second)
	if _, err := creds.Authenticate(ctx, key, secret); !errors.Is(err, ErrUnauthorized) {
		t.Errorf("after the cache window: %v, want ErrUnauthorized", err)
	}
}

func TestAllows(t *testing.T) {
	tests := []struct {
		scopes []string
		need   Scope
		want   bool
	}{
		{[]string{"all"}, ScopeStatementsWrite, true},
		{[]string{"all/read"}, ScopeStatementsRead, true},
		{[]string{"all/read"}, ScopeStatementsWrite, false},
		{[]string{"statements/write"}, ScopeStatementsRead, false},
		{[]string{"statements/read"}, ScopeStatementsReadMine, true},
		{[]string{"statements/read/mine"}, ScopeStatementsRead, false},
		{[]string{"state", "profile"}, ScopeProfile, true},
		{nil, ScopeStatementsRead, false},
	}
	for _, tt := range tests {
		if got := Allows(tt.scopes, tt.need); got != tt.want {
			t.Errorf("Allows(%v, %s) = %v, want %v", tt.scopes, tt.need, got, tt.want)
		}
	}
}

func TestParseScopes(t *testing.T) {
	got, err := ParseScopes("statements/write, statements/read,statements/write")
	if err != nil || strings.Join(got, " ") != "statements/write statements/read" {
		t.Errorf("ParseScopes = %v, %v", got, err)
	}
	if _, err := ParseScopes("statements/delete"); err == nil || !strings.Contains(err.Error(), `"statements/delete"`) {
		t.Errorf("ParseScopes(unknown) = %v", err)
	}
}

// A key is a command-line argument (credentials revoke KEY): it never
// starts with "-", as one in 64 random keys otherwise would.
func TestNewKeyIsNoFlag(t *testing.T) {
	for range 10000 {
		if k := newKey(); len(k) != 20 || k[0] == '-' {
			t.Fatalf("newKey() = %q, want 20 characters not starting with -", k)
		}
	}
}

func (s *credentialStore) Credentials(_ context.Context) ([]Credential, error) {
	var out []Credential
	for _, c := range s.creds {
		out = append(out, c)
	}
	return out, nil
}

// TestCredentialsValid checks a dashboard session's per-request check:
// a valid key passes without its secret, a revoked, expired or unknown
// one does not, and a key this node just verified costs no store read.
func TestCredentialsValid(t *testing.T) {
	store := &credentialStore{creds: map[string]Credential{}}
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	creds := NewCredentials(store, func() time.Time { return now })
	ctx := context.Background()
	key, secret, err := creds.Create(ctx, "manager", []string{"statements/read"})
	if err != nil {
		t.Fatal(err)
	}
	got, err := creds.Valid(ctx, key)
	if err != nil || got.Key != key || got.SecretHash != nil {
		t.Fatalf("Valid(new key) = %+v, %v; want the credential without its hash", got, err)
	}
	if _, err := creds.Authenticate(ctx, key, secret); err != nil {
		t.Fatal(err)
	}
	reads := store.reads.Load()
	if _, err := creds.Valid(ctx, key); err != nil {
		t.Fatal(err)
	}
	if n := store.reads.Load() - reads; n != 0 {
		t.Errorf("Valid after Authenticate read the store %d times, want 0 (the cache)", n)
	}
	if _, err := creds.Valid(ctx, "no-such-key"); !errors.Is(err, ErrUnauthorized) {
		t.Errorf("Valid(unknown) = %v, want ErrUnauthorized", err)
	}
	if err := creds.Revoke(ctx, key); err != nil {
		t.Fatal(err)
	}
	if _, err := creds.Valid(ctx, key); !errors.Is(err, ErrUnauthorized) {
		t.Errorf("Valid(revoked) = %v, want ErrUnauthorized", err)
	}
	short, _, err := creds.Create(ctx, "token", []string{"statements/read"})
	if err != nil {
		t.Fatal(err)
	}
	c := store.creds[short]
	c.ExpiresAt = now
	store.creds[short] = c
	if _, err := creds.Valid(ctx, short); !errors.Is(err, ErrUnauthorized) {
		t.Errorf("Valid(expired) = %v, want ErrUnauthorized", err)
	}
	list, err := creds.List(ctx)
	if err != nil || len(list) != 2 {
		t.Fatalf("List = %d credentials, %v; want 2", len(list), err)
	}
	for _, c := range list {
		if c.SecretHash != nil {
			t.Errorf("List returned %s with its secret hash", c.Key)
		}
	}
}

// Once the cache's window ends, a credential is read again (it may have
// been revoked on another node), but the secret is hashed again only if
// the stored hash changed.
func TestCredentialRenewalHashesOnce(t *testing.T) {
	store := &credentialStore{creds: map[string]Credential{}}
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	creds := NewCredentials(store, func() time.Time { return now })
	var hashed int
	creds.checkSecret = func(hash []byte, secret string) bool {
		hashed++
		return verifySecret(hash, secret)
	}
	ctx := context.Background()
	key, secret, _ := creds.Create(ctx, "x", []string{"all"})
	steps := []struct {
		name       string
		change     func()
		secret     string
		wantErr    error
		wantHashed int
	}{
		{"first use", nil, secret, nil, 1},
		{"renewed", nil, secret, nil, 1},
		{"wrong secret", nil, secret + "x", ErrUnauthorized, 2},
		{"renewed again", nil, secret, nil, 2},
		{"hash replaced", func() {
			c := store.creds[key]
			c.SecretHash = hashSecret("another secret")
			store.creds[key] = c
		}, secret, ErrUnauthorized, 3},
	}
	for _, st := range steps {
		if st.change != nil {
			st.change()
		}
		reads := store.reads.Load()
		_, err := creds.Authenticate(ctx, key, st.secret)
		if !errors.Is(err, st.wantErr) || hashed != st.wantHashed || store.reads.Load() != reads+1 {
			t.Errorf("%s: err %v, hashed %d times, read %d times; want %v, %d, 1", st.name, err, hashed, store.reads.Load()-reads, st.wantErr, st.wantHashed)
		}
		now = now.Add(31 * time.Second)
	}
}
