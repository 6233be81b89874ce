package progress

import (
	"errors"
	"time"
)

// Statuses are every Status, in the order a learner moves through them.
var Statuses = []Status{NotStarted, InProgress, Completed, Passed, Failed}

// ErrBadTime is what ParseBound returns for text that is neither an RFC 3339
// time nor a date.
var ErrBadTime = errors.New("must be an RFC 3339 timestamp or a date YYYY-MM-DD")

// ParseBound reads a Filter's Since or Until as people write it on a
// command line or in a form: an RFC 3339 time, or a date YYYY-MM-DD (UTC).
// A date that ends a period (end true) includes that day: it means the
// start of the next. Empty text is the zero time, no bound.
func ParseBound(s string, end bool) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t.UTC(), nil
	}
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, ErrBadTime
	}
	if end {
		d = d.AddDate(0, 0, 1)
	}
	return d, nil
}
