package sqlstore

import (
	"encoding/binary"
	"time"
)

// pgArray is a one-dimensional PostgreSQL array without NULLs in the
// binary format PostgreSQL's array_recv reads. The document batcher's
// connections send []byte parameters as binary (binary_parameters), so a
// batch goes to PostgreSQL as the bytes themselves: as text arrays, lib/pq
// wrote every bytea as quoted hex, twice its size, and those arrays were
// two fifths of what the LRS allocated under state round trips.
type pgArray []byte

// The element types' OIDs (pg_type.oid), which array_recv checks against
// the parameter's type.
const (
	oidBytea       = 17
	oidText        = 25
	oidTimestamptz = 1184
)

// pgEpochMicros is 2000-01-01T00:00:00Z, where PostgreSQL's binary
// timestamps count from, in microseconds since the Unix epoch.
const pgEpochMicros = 946684800 * 1_000_000

// newPGArray starts an array of n elements of type elem; size is the
// room its elements' bytes will take. Exactly n must be added.
func newPGArray(elem uint32, n, size int) pgArray {
	a := make(pgArray, 0, 20+4*n+size)
	a = binary.BigEndian.AppendUint32(a, 1) // dimensions
	a = binary.BigEndian.AppendUint32(a, 0) // flags: no NULLs
	a = binary.BigEndian.AppendUint32(a, elem)
	a = binary.BigEndian.AppendUint32(a, uint32(n))
	return binary.BigEndian.AppendUint32(a, 1) // lower bound
}

// addBytes appends a bytea or text element.
func (a pgArray) addBytes(v []byte) pgArray {
	return append(binary.BigEndian.AppendUint32(a, uint32(len(v))), v...)
}

// addString appends a text element.
func (a pgArray) addString(v string) pgArray {
	return append(binary.BigEndian.AppendUint32(a, uint32(len(v))), v...)
}

// addTime appends a timestamptz element, to the microsecond as the
// store's timestamps are.
func (a pgArray) addTime(t time.Time) pgArray {
	a = binary.BigEndian.AppendUint32(a, 8)
	return binary.BigEndian.AppendUint64(a, uint64(t.UnixMicro()-pgEpochMicros))
}
