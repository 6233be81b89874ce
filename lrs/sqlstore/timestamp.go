package sqlstore

import (
	"database/sql/driver"
	"fmt"
	"time"
)

// timeFormat is how every time is written: UTC, fixed width, to the
// microsecond. On SQLite the column is text and this format sorts as it
// compares; PostgreSQL parses it into timestamptz, which keeps microseconds.
const timeFormat = "2006-01-02T15:04:05.000000Z"

// timestamp is the one Scanner/Valuer for times, so that both drivers read
// back exactly what was written. The zero time is NULL.
type timestamp struct{ time.Time }

// Value implements driver.Valuer.
func (t timestamp) Value() (driver.Value, error) {
	if t.IsZero() {
		return nil, nil
	}
	return t.UTC().Truncate(time.Microsecond).Format(timeFormat), nil
}

// Scan implements sql.Scanner: text from SQLite, time.Time from PostgreSQL.
func (t *timestamp) Scan(v any) error {
	switch v := v.(type) {
	case nil:
		t.Time = time.Time{}
	case time.Time:
		t.Time = v.UTC().Truncate(time.Microsecond)
	case string:
		return t.parse(v)
	case []byte:
		return t.parse(string(v))
	default:
		return fmt.Errorf("scan time: unsupported type %T", v)
	}
	return nil
}

func (t *timestamp) parse(s string) error {
	v, err := time.Parse(timeFormat, s)
	if err != nil {
		return fmt.Errorf("scan time: %w", err)
	}
	t.Time = v
	return nil
}
