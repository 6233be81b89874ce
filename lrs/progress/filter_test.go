package progress

import (
	"errors"
	"testing"
	"time"
)

func TestParseBound(t *testing.T) {
	day := time.Date(2026, 11, 5, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		in   string
		end  bool
		want time.Time
		err  error
	}{
		{"", false, time.Time{}, nil},
		{"", true, time.Time{}, nil},
		{"2026-11-05", false, day, nil},
		{"2026-11-05", true, day.AddDate(0, 0, 1), nil},
		{"2026-11-05T12:30:00+01:00", true, time.Date(2026, 11, 5, 11, 30, 0, 0, time.UTC), nil},
		{"2026-11-05T12:30:00.5Z", false, time.Date(2026, 11, 5, 12, 30, 0, 5e8, time.UTC), nil},
		{"05/11/2026", false, time.Time{}, ErrBadTime},
		{"yesterday", true, time.Time{}, ErrBadTime},
	}
	for _, tt := range tests {
		got, err := ParseBound(tt.in, tt.end)
		if !errors.Is(err, tt.err) || !got.Equal(tt.want) {
			t.Errorf("ParseBound(%q, %v) = %v, %v; want %v, %v", tt.in, tt.end, got, err, tt.want, tt.err)
		}
	}
}
