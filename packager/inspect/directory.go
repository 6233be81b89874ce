package inspect

import (
	"bytes"
	"encoding/binary"
	"io"
)

// maxRecordSize is the central directory space allowed per entry: a record
// is 46 bytes plus the name and extra fields, far less than this for any
// real package.
const maxRecordSize = 1024

// directoryEnd reads the entry count and central directory size the end
// of the zip declares. archive/zip loads the whole central directory into
// memory before anyone can count entries, so these bound what it will load.
// It reports false when it cannot find them; archive/zip then has the say.
func directoryEnd(r io.ReaderAt, size int64) (entries, dirSize uint64, ok bool) {
	const eocdLen, maxComment = 22, 65535
	tailLen := min(size, eocdLen+maxComment)
	tail := make([]byte, tailLen)
	if _, err := r.ReadAt(tail, size-tailLen); err != nil && err != io.EOF {
		return 0, 0, false
	}
	// The last signature with room for a record after it, as archive/zip
	// takes it.
	if len(tail) < eocdLen {
		return 0, 0, false
	}
	p := bytes.LastIndex(tail[:len(tail)-eocdLen+4], []byte("PK\x05\x06"))
	if p < 0 {
		return 0, 0, false
	}
	eocd := tail[p:]
	entries = uint64(binary.LittleEndian.Uint16(eocd[10:]))
	dirSize = uint64(binary.LittleEndian.Uint32(eocd[12:]))
	if entries != 0xffff && dirSize != 0xffffffff && binary.LittleEndian.Uint32(eocd[16:]) != 0xffffffff {
		return entries, dirSize, true
	}
	// Zip64: a locator just before the record points at the zip64 record.
	locAt := size - tailLen + int64(p) - 20
	loc := make([]byte, 20)
	if locAt < 0 {
		return 0, 0, false
	}
	if _, err := r.ReadAt(loc, locAt); err != nil || !bytes.HasPrefix(loc, []byte("PK\x06\x07")) {
		return 0, 0, false
	}
	rec := make([]byte, 56)
	at := binary.LittleEndian.Uint64(loc[8:])
	if at > uint64(size) {
		return 0, 0, false
	}
	if _, err := r.ReadAt(rec, int64(at)); err != nil || !bytes.HasPrefix(rec, []byte("PK\x06\x06")) {
		return 0, 0, false
	}
	return binary.LittleEndian.Uint64(rec[32:]), binary.LittleEndian.Uint64(rec[40:]), true
}
