package main

import (
	"bytes"
	"crypto/rand"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"time"

	"github.com/coursekit/coursekit/lrs"
	"github.com/coursekit/coursekit/lrs/progress"
	"github.com/coursekit/coursekit/lrs/sqlstore"
	"github.com/coursekit/coursekit/lrs/web"
)

// newDashboard builds the dashboard over the store's progress reports.
func newDashboard(store *sqlstore.Store, svc *lrs.Service, creds *lrs.Credentials, logger *slog.Logger, keyFile string) (http.Handler, error) {
	var reader progress.Reader = store.Progress()
	key, err := sessionKey(keyFile, logger)
	if err != nil {
		return nil, err
	}
	d, err := web.New(web.Config{Reader: reader, Statements: svc, Credentials: creds, Logger: logger, Now: time.Now, SessionKey: key})
	if err != nil {
		return nil, err
	}
	return d, nil
}

// sessionKey is the key that signs dashboard sessions: the file's
// contents, else COURSEKIT_SESSION_KEY, else random for this process
// alone. Several nodes behind one address need the same key, or each
// refuses the others' sessions; a random key also ends every session when
// the process restarts.
func sessionKey(file string, logger *slog.Logger) ([]byte, error) {
	var key []byte
	switch {
	case file != "":
		b, err := os.ReadFile(file)
		if err != nil {
			return nil, fmt.Errorf("--session-key-file: %w", err)
		}
		key = bytes.TrimSpace(b)
	case os.Getenv("COURSEKIT_SESSION_KEY") != "":
		key = []byte(os.Getenv("COURSEKIT_SESSION_KEY"))
	default:
		key = make([]byte, 32)
		_, _ = rand.Read(key)
		logger.Info("dashboard sessions are signed with a random key: they end when this process does, and other nodes refuse them (set --session-key-file or COURSEKIT_SESSION_KEY)")
		return key, nil
	}
	if len(key) < 32 {
		return nil, usagef("the dashboard's session key needs at least 32 bytes (openssl rand -hex 32 makes one)")
	}
	return key, nil
}
