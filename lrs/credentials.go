package lrs

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"golang.org/x/crypto/argon2"
	"golang.org/x/sync/singleflight"
)

// Scope is an xAPI OAuth scope, as the spec names them (Communication §4.2).
type Scope string

// The scopes a credential may hold.
const (
	ScopeAll                Scope = "all"
	ScopeAllRead            Scope = "all/read"
	ScopeStatementsWrite    Scope = "statements/write"
	ScopeStatementsRead     Scope = "statements/read"
	ScopeStatementsReadMine Scope = "statements/read/mine"
	ScopeState              Scope = "state"
	ScopeDefine             Scope = "define"
	ScopeProfile            Scope = "profile"
)

var knownScopes = []Scope{ScopeAll, ScopeAllRead, ScopeStatementsWrite, ScopeStatementsRead,
	ScopeStatementsReadMine, ScopeState, ScopeDefine, ScopeProfile}

// ParseScopes reads a comma-separated list of scopes.
func ParseScopes(s string) ([]string, error) {
	var out []string
	for _, p := range strings.Split(s, ",") {
		p = strings.TrimSpace(p)
		if !slices.Contains(knownScopes, Scope(p)) {
			names := make([]string, len(knownScopes))
			for i, k := range knownScopes {
				names[i] = string(k)
			}
			return nil, fmt.Errorf("unknown scope %q; use any of %s", p, strings.Join(names, ", "))
		}
		if !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	return out, nil
}

// Allows reports whether a credential with these scopes may do what needs
// asks for. A write scope never implies another write; all/read implies
// every read.
func Allows(scopes []string, need Scope) bool {
	for _, s := range scopes {
		if grantsRead(Scope(s), need) {
			return true
		}
		switch Scope(s) {
		case ScopeAll, need:
			return true
		case ScopeAllRead:
			if need == ScopeStatementsRead || need == ScopeStatementsReadMine {
				return true
			}
		case ScopeStatementsRead:
			if need == ScopeStatementsReadMine {
				return true
			}
		}
	}
	return false
}

// ErrUnauthorized: no credential, an unknown key, a wrong secret or a
// revoked credential. The API answers 401 and never says which.
var ErrUnauthorized = errors.New("unauthorized")

// Credentials creates and checks API credentials. Secrets are hashed with
// argon2id; since that costs tens of milliseconds by design, a verified
// secret is remembered, as a SHA-256 digest, for a short while so that a
// busy client does not pay it on every request.
type Credentials struct {
	store Store
	now   func() time.Time
	// ttl bounds how long another LRS node may accept a revoked credential.
	ttl time.Duration

	mu    sync.Mutex
	cache map[string]cachedCredential

	// Each argon2id run holds argonMemory. Concurrent requests with the
	// same key and secret share one run, and at most maxHashing run at
	// once, so a burst of clients (or of wrong guesses) costs a bounded
	// amount of memory instead of 19 MiB per request.
	verifying singleflight.Group
	hashing   chan struct{}
	// checkSecret is verifySecret; tests count its runs.
	checkSecret func(hash []byte, secret string) bool
}

// maxHashing bounds concurrent argon2id runs: about one per core keeps the
// CPU busy and the memory at a few tens of MiB.
const maxHashing = 2

type cachedCredential struct {
	digest  [32]byte
	cred    Credential
	expires time.Time
}

// maxCached bounds the verified-credential cache; past it the cache is
// cleared, which costs only re-verification.
const maxCached = 10000

// NewCredentials returns a Credentials over store with the given clock.
func NewCredentials(store Store, now func() time.Time) *Credentials {
	return &Credentials{store: store, now: now, ttl: 30 * time.Second, cache: map[string]cachedCredential{},
		hashing: make(chan struct{}, maxHashing), checkSecret: verifySecret}
}

// authorityHome is the homePage of credential accounts in statements'
// authority. The .invalid domain is reserved for names that resolve nowhere.
const authorityHome = "https://coursekit.invalid/credentials"

// Create makes a credential and returns its key and secret. The secret is
// returned only here: the store keeps its hash.
func (c *Credentials) Create(ctx context.Context, name string, scopes []string) (key, secret string, err error) {
	cred, secret, err := c.Mint(name, scopes, time.Time{}, nil)
	if err != nil {
		return "", "", err
	}
	if err := c.store.InsertCredential(ctx, cred); err != nil {
		return "", "", fmt.Errorf("create credential: %w", err)
	}
	return cred.Key, secret, nil
}

// Mint makes a credential without storing it, for a caller that stores it
// in a transaction of its own (a cmi5 fetch), and returns it with its
// secret. expires and r may be zero and nil.
func (c *Credentials) Mint(name string, scopes []string, expires time.Time, r *Restriction) (Credential, string, error) {
	if len(scopes) == 0 {
		return Credential{}, "", errors.New("create credential: no scopes")
	}
	key := newKey()
	secret := randomString(30)
	authority, err := json.Marshal(map[string]any{
		"objectType": "Agent",
		"name":       name,
		"account":    map[string]string{"homePage": authorityHome, "name": key},
	})
	if err != nil {
		return Credential{}, "", err
	}
	cred := Credential{
		Key: key, SecretHash: hashSecret(secret), Name: name, Scopes: scopes,
		Authority: authority, CreatedAt: c.now().UTC(), ExpiresAt: expires, Restriction: r,
	}
	if !expires.IsZero() {
		cred.ExpiresAt = expires.UTC()
	}
	return cred, secret, nil
}

// Authenticate returns the valid credential with this key and secret, or
// ErrUnauthorized.
func (c *Credentials) Authenticate(ctx context.Context, key, secret string) (Credential, error) {
	digest := sha256.Sum256([]byte(secret))
	now := c.now()
	c.mu.Lock()
	hit, ok := c.cache[key]
	c.mu.Unlock()
	// The hash this secret was last found to match, if any.
	var matched []byte
	if ok && subtle.ConstantTimeCompare(hit.digest[:], digest[:]) == 1 {
		if now.Before(hit.expires) {
			if expired(hit.cred, now) {
				return Credential{}, ErrUnauthorized
			}
			return hit.cred, nil
		}
		matched = hit.cred.SecretHash
	}
	v, err, _ := c.verifying.Do(key+"\x00"+string(digest[:]), func() (any, error) {
		// Shared by every request waiting on it: one giving up must not
		// fail the others.
		return c.verify(context.WithoutCancel(ctx), key, secret, matched)
	})
	if err != nil {
		return Credential{}, err
	}
	cred := v.(Credential)
	if expired(cred, c.now()) {
		return Credential{}, ErrUnauthorized
	}
	c.mu.Lock()
	if len(c.cache) >= maxCached {
		clear(c.cache)
	}
	c.cache[key] = cachedCredential{digest: digest, cred: cred, expires: now.Add(c.ttl)}
	c.mu.Unlock()
	return cred, nil
}

// verify reads the credential and checks the secret against its hash,
// unless the hash is matched, the one the secret was found to match before.
// A credential used all day is read again every ttl to learn of its
// revocation, but hashed once: argon2id takes tens of milliseconds of a
// core and 19 MiB, and every active cmi5 session has a credential.
func (c *Credentials) verify(ctx context.Context, key, secret string, matched []byte) (Credential, error) {
	cred, err := c.store.Credential(ctx, key)
	if errors.Is(err, ErrNotFound) {
		return Credential{}, ErrUnauthorized
	}
	if err != nil {
		return Credential{}, fmt.Errorf("authenticate: %w", err)
	}
	if !cred.RevokedAt.IsZero() || expired(cred, c.now()) {
		return Credential{}, ErrUnauthorized
	}
	if matched != nil && subtle.ConstantTimeCompare(matched, cred.SecretHash) == 1 {
		return cred, nil
	}
	c.hashing <- struct{}{}
	ok := c.checkSecret(cred.SecretHash, secret)
	<-c.hashing
	if !ok {
		return Credential{}, ErrUnauthorized
	}
	return cred, nil
}

// Expire brings the credential's expiry forward to at (never later than
// it was); this node applies it at once, others within the cache's ttl.
func (c *Credentials) Expire(ctx context.Context, key string, at time.Time) error {
	if err := c.store.ExpireCredential(ctx, key, at.UTC()); err != nil {
		return fmt.Errorf("expire credential %s: %w", key, err)
	}
	c.mu.Lock()
	delete(c.cache, key)
	c.mu.Unlock()
	return nil
}

func expired(cred Credential, now time.Time) bool {
	return !cred.ExpiresAt.IsZero() && !now.Before(cred.ExpiresAt)
}

// Revoke revokes a credential; this node stops accepting it at once.
func (c *Credentials) Revoke(ctx context.Context, key string) error {
	if err := c.store.RevokeCredential(ctx, key, c.now().UTC()); err != nil {
		return fmt.Errorf("revoke credential %s: %w", key, err)
	}
	c.mu.Lock()
	delete(c.cache, key)
	c.mu.Unlock()
	return nil
}

// argon2id parameters: OWASP's recommended minimum (19 MiB, 2 passes).
const (
	argonTime    = 2
	argonMemory  = 19 * 1024
	argonThreads = 1
	argonKeyLen  = 32
)

// hashSecret returns the secret's argon2id hash in PHC string form.
func hashSecret(secret string) []byte {
	salt := make([]byte, 16)
	_, _ = rand.Read(salt)
	sum := argon2.IDKey([]byte(secret), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	enc := base64.RawStdEncoding
	return fmt.Appendf(nil, "$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, argonMemory, argonTime, argonThreads, enc.EncodeToString(salt), enc.EncodeToString(sum))
}

func verifySecret(hash []byte, secret string) bool {
	parts := strings.Split(string(hash), "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var m, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil {
		return false
	}
	enc := base64.RawStdEncoding
	salt, err1 := enc.DecodeString(parts[4])
	want, err2 := enc.DecodeString(parts[5])
	if err1 != nil || err2 != nil {
		return false
	}
	got := argon2.IDKey([]byte(secret), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// newKey returns a credential key: 15 random bytes as URL-safe base64, not
// starting with "-", which a command line (credentials revoke KEY) would
// read as a flag.
func newKey() string {
	for {
		if k := randomString(15); k[0] != '-' {
			return k
		}
	}
}

// randomString returns n random bytes as URL-safe base64 without padding.
func randomString(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// List returns every credential, revoked and expired ones included, for
// the dashboard's credentials page. SecretHash is cleared: a page never
// needs it.
func (c *Credentials) List(ctx context.Context) ([]Credential, error) {
	all, err := c.store.Credentials(ctx)
	if err != nil {
		return nil, fmt.Errorf("list credentials: %w", err)
	}
	for i := range all {
		all[i].SecretHash = nil
	}
	return all, nil
}

// Valid returns the credential with this key when it is neither revoked
// nor expired, or ErrUnauthorized, without checking a secret: for a
// dashboard session, whose secret was checked at login. A credential this
// node verified within the cache's ttl is taken from the cache (Revoke
// removes it there); any other is one read of the store by key.
func (c *Credentials) Valid(ctx context.Context, key string) (Credential, error) {
	now := c.now()
	c.mu.Lock()
	hit, ok := c.cache[key]
	c.mu.Unlock()
	if ok && now.Before(hit.expires) {
		if expired(hit.cred, now) {
			return Credential{}, ErrUnauthorized
		}
		cred := hit.cred
		cred.SecretHash = nil
		return cred, nil
	}
	cred, err := c.store.Credential(ctx, key)
	if errors.Is(err, ErrNotFound) {
		return Credential{}, ErrUnauthorized
	}
	if err != nil {
		return Credential{}, fmt.Errorf("check credential: %w", err)
	}
	if !cred.RevokedAt.IsZero() || expired(cred, now) {
		return Credential{}, ErrUnauthorized
	}
	cred.SecretHash = nil
	return cred, nil
}
