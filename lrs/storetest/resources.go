package storetest

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/coursekit/coursekit/lrs"
)

func testAttachments(t *testing.T, s lrs.Store) {
	ctx := context.Background()
	binary := make([]byte, 256*1024)
	for i := range binary {
		binary[i] = byte(i * 7)
	}
	a1 := lrs.Attachment{SHA2: "sha-a1", ContentType: "application/octet-stream", Data: binary}
	a2 := lrs.Attachment{SHA2: "sha-a2", ContentType: "text/plain; charset=utf-8", Data: []byte("certificate\x00\xff")}
	x := with(stmt(alice, completed, lesson1, at(0)), func(st *lrs.Statement) { st.Attachments = []lrs.Attachment{a1, a2} })
	// The same payload again, with another content type: the first stays.
	a2again := lrs.Attachment{SHA2: "sha-a2", ContentType: "text/other", Data: a2.Data}
	y := with(stmt(bob, completed, lesson1, at(1)), func(st *lrs.Statement) { st.Attachments = []lrs.Attachment{a2again} })
	mustInsert(t, s, x, y)
	empty := lrs.Attachment{SHA2: "sha-empty", ContentType: "text/plain", Data: nil}
	z := with(stmt(bob, completed, lesson1, at(2)), func(st *lrs.Statement) { st.Attachments = []lrs.Attachment{a2again, empty} })
	mustInsert(t, s, z)

	got, err := s.Attachments(ctx, []string{"sha-a1", "sha-a2", "sha-empty", "sha-missing"})
	if err != nil {
		t.Fatalf("Attachments = %v", err)
	}
	if len(got) != 3 {
		t.Errorf("Attachments(3 stored, 1 missing) returned %d, want 3", len(got))
	}
	for _, want := range []lrs.Attachment{a1, a2, empty} {
		g, ok := got[want.SHA2]
		if !ok || g.SHA2 != want.SHA2 || g.ContentType != want.ContentType || !bytes.Equal(g.Data, want.Data) {
			t.Errorf("Attachments()[%q] = %q %q (%d bytes), want %q (%d bytes)", want.SHA2, g.SHA2, g.ContentType, len(g.Data), want.ContentType, len(want.Data))
		}
	}
	if got, err := s.Attachments(ctx, nil); err != nil || len(got) != 0 {
		t.Errorf("Attachments(nil) = %v, %v, want none", got, err)
	}
}

func testCredentials(t *testing.T, s lrs.Store) {
	ctx := context.Background()
	created := time.Date(2024, 3, 4, 5, 6, 7, 891011000, time.UTC)
	admin := lrs.Credential{
		Key:        "key-admin",
		SecretHash: []byte{0, 1, 2, 0xfe, 0xff},
		Name:       "admin",
		Scopes:     []string{"all"},
		Authority:  []byte(`{"objectType":"Agent","name":"admin","account":{"homePage":"https://lrs.example.com","name":"admin"}}`),
		CreatedAt:  created,
	}
	client := lrs.Credential{
		Key:        "key-client",
		SecretHash: []byte("hash"),
		Name:       "course player",
		Scopes:     []string{"statements/write", "statements/read/mine", "state"},
		Authority:  []byte(`{"mbox":"mailto:player@example.com"}`),
		CreatedAt:  created.Add(time.Hour),
	}
	for _, c := range []lrs.Credential{client, admin} {
		if err := s.InsertCredential(ctx, c); err != nil {
			t.Fatalf("InsertCredential(%q) = %v", c.Key, err)
		}
	}
	if err := s.InsertCredential(ctx, admin); !errors.Is(err, lrs.ErrConflict) {
		t.Errorf("InsertCredential(taken key) = %v, want ErrConflict", err)
	}
	check := func(want, got lrs.Credential) {
		t.Helper()
		if got.Key != want.Key || !bytes.Equal(got.SecretHash, want.SecretHash) || got.Name != want.Name ||
			!slices.Equal(got.Scopes, want.Scopes) || !bytes.Equal(got.Authority, want.Authority) ||
			!got.CreatedAt.Equal(want.CreatedAt) || !got.RevokedAt.Equal(want.RevokedAt) {
			t.Errorf("credential %q = %+v, want %+v", want.Key, got, want)
		}
	}
	got, err := s.Credential(ctx, admin.Key)
	if err != nil {
		t.Fatalf("Credential(%q) = %v", admin.Key, err)
	}
	check(admin, got)
	if _, err := s.Credential(ctx, "key-missing"); !errors.Is(err, lrs.ErrNotFound) {
		t.Errorf("Credential(missing) = %v, want ErrNotFound", err)
	}

	revoked := created.Add(2 * time.Hour)
	if err := s.RevokeCredential(ctx, client.Key, revoked); err != nil {
		t.Fatalf("RevokeCredential(%q) = %v", client.Key, err)
	}
	// Revoking again keeps the first time.
	if err := s.RevokeCredential(ctx, client.Key, revoked.Add(time.Hour)); err != nil {
		t.Fatalf("RevokeCredential(%q) again = %v", client.Key, err)
	}
	if err := s.RevokeCredential(ctx, "key-missing", revoked); !errors.Is(err, lrs.ErrNotFound) {
		t.Errorf("RevokeCredential(missing) = %v, want ErrNotFound", err)
	}
	client.RevokedAt = revoked
	got, err = s.Credential(ctx, client.Key)
	if err != nil {
		t.Fatalf("Credential(%q) = %v", client.Key, err)
	}
	check(client, got)

	list, err := s.Credentials(ctx)
	if err != nil {
		t.Fatalf("Credentials() = %v", err)
	}
	if len(list) != 2 {
		t.Fatalf("Credentials() = %d credentials, want 2", len(list))
	}
	slices.SortFunc(list, func(a, b lrs.Credential) int { return a.CreatedAt.Compare(b.CreatedAt) })
	check(admin, list[0])
	check(client, list[1])
}
