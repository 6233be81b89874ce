// Package lrs is the Learning Record Store's service layer: it validates and
// stores xAPI statements and answers queries over them, through a Store
// that the sqlstore package implements for SQLite and PostgreSQL.
//
// Documents is the State, Activity Profile and Agent Profile resources,
// over a DocumentStore, and what the LRS learns of activities and agents.
//
// It knows nothing of HTTP: lrs/api decodes requests, calls the service and
// maps its errors to status codes in one place.
package lrs

import "errors"

// Errors the service and stores return; lrs/api maps them to HTTP statuses.
var (
	// ErrNotFound: no such statement, document or credential.
	ErrNotFound = errors.New("not found")
	// ErrConflict: a statement id exists with different content.
	ErrConflict = errors.New("conflict")
	// ErrVoidingVoid: a statement tries to void a voiding statement.
	ErrVoidingVoid = errors.New("a voiding statement cannot be voided")
	// ErrPreconditionFailed: If-Match / If-None-Match did not hold.
	ErrPreconditionFailed = errors.New("precondition failed")
)
