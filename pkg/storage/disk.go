package storage

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"

	"github.com/caseroom/caseroom/pkg/apperr"
)

// DefaultDiskDir is the embedded default: files next to the SQLite database.
const DefaultDiskDir = "data/files"

// Disk stores files in a folder, for a laptop or a single-machine install. The content of
// key is the file <dir>/<key>; its content type sits beside it in a hidden ".<name>.meta".
//
// Every access goes through os.Root, so on top of CheckKey's refusal of "..", a symbolic
// link inside the folder cannot lead outside it either.
type Disk struct {
	dir string
}

// NewDisk returns a store in dir ("" means DefaultDiskDir), creating the folder. It
// returns apperr.Unavailable when the folder cannot be created.
func NewDisk(dir string) (*Disk, error) {
	if dir == "" {
		dir = DefaultDiskDir
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, unavailable(fmt.Errorf("open disk store %s: %w", dir, err))
	}
	if err := os.MkdirAll(abs, 0o750); err != nil {
		return nil, unavailable(fmt.Errorf("open disk store %s: %w", dir, err))
	}
	return &Disk{dir: abs}, nil
}

// Dir is the folder the store writes to.
func (d *Disk) Dir() string { return d.dir }

// diskMeta is the content of a ".meta" file.
type diskMeta struct {
	ContentType string `json:"content_type"`
}

func metaName(key string) string {
	return path.Join(path.Dir(key), "."+path.Base(key)+".meta")
}

// open checks key and opens the store's root for one operation; the caller closes it.
func (d *Disk) open(op, key string) (*os.Root, error) {
	if err := CheckKey(key); err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	root, err := os.OpenRoot(d.dir)
	if err != nil {
		return nil, unavailable(fmt.Errorf("%s %s: %w", op, key, err))
	}
	return root, nil
}

// Put implements Store. The content is written to a temporary file and renamed into
// place, so a reader never sees half a file and a failed upload leaves nothing behind.
func (d *Disk) Put(ctx context.Context, key string, r io.Reader, size int64, contentType string) (err error) {
	root, err := d.open("put file", key)
	if err != nil {
		return err
	}
	defer root.Close()
	if err := root.MkdirAll(path.Dir(key), 0o750); err != nil {
		return unavailable(fmt.Errorf("put file %s: %w", key, err))
	}
	body := &sizedReader{r: ctxReader{ctx, r}, want: size}
	tmpData, err := writeTemp(root, path.Dir(key), body)
	if err != nil {
		if body.err != nil {
			return fmt.Errorf("put file %s: %w", key, body.err)
		}
		return unavailable(fmt.Errorf("put file %s: %w", key, err))
	}
	defer root.Remove(tmpData) //nolint:errcheck // gone after the rename
	meta, _ := json.Marshal(diskMeta{ContentType: contentType})
	tmpMeta, err := writeTemp(root, path.Dir(key), bytes.NewReader(meta))
	if err != nil {
		return unavailable(fmt.Errorf("put file %s: %w", key, err))
	}
	defer root.Remove(tmpMeta) //nolint:errcheck // gone after the rename
	if err := root.Rename(tmpMeta, metaName(key)); err != nil {
		return unavailable(fmt.Errorf("put file %s: %w", key, err))
	}
	if err := root.Rename(tmpData, key); err != nil {
		return unavailable(fmt.Errorf("put file %s: %w", key, err))
	}
	return nil
}

// writeTemp copies r to a new hidden file in dir and returns its name inside root.
func writeTemp(root *os.Root, dir string, r io.Reader) (string, error) {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	name := path.Join(dir, ".tmp-"+hex.EncodeToString(b))
	f, err := root.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o640)
	if err != nil {
		return "", err
	}
	_, err = io.Copy(f, r)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		root.Remove(name) //nolint:errcheck // best effort on a failed write
		return "", err
	}
	return name, nil
}

// Get implements Store.
func (d *Disk) Get(_ context.Context, key string) (io.ReadCloser, Info, error) {
	root, err := d.open("get file", key)
	if err != nil {
		return nil, Info{}, err
	}
	defer root.Close() // the opened file stays valid
	f, err := root.Open(key)
	if err != nil {
		return nil, Info{}, diskErr("get file", key, err)
	}
	st, err := f.Stat()
	if err != nil || !st.Mode().IsRegular() {
		f.Close()
		if err == nil {
			return nil, Info{}, fmt.Errorf("get file %s: %w", key, apperr.E(apperr.NotFound, "file not found"))
		}
		return nil, Info{}, unavailable(fmt.Errorf("get file %s: %w", key, err))
	}
	info := Info{Key: key, Size: st.Size(), ContentType: "application/octet-stream", ModTime: st.ModTime()}
	if raw, err := root.ReadFile(metaName(key)); err == nil {
		var m diskMeta
		if json.Unmarshal(raw, &m) == nil && m.ContentType != "" {
			info.ContentType = m.ContentType
		}
	}
	return f, info, nil
}

// Delete implements Store.
func (d *Disk) Delete(_ context.Context, key string) error {
	root, err := d.open("delete file", key)
	if err != nil {
		return err
	}
	defer root.Close()
	for _, name := range []string{key, metaName(key)} {
		if err := root.Remove(name); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return unavailable(fmt.Errorf("delete file %s: %w", key, err))
		}
	}
	return nil
}

// Ping implements Store by writing and removing a probe file, which also catches a
// full or read-only disk.
func (d *Disk) Ping(context.Context) error {
	root, err := os.OpenRoot(d.dir)
	if err != nil {
		return unavailable(fmt.Errorf("ping disk store %s: %w", d.dir, err))
	}
	defer root.Close()
	name, err := writeTemp(root, ".", bytes.NewReader([]byte("ping")))
	if err != nil {
		return unavailable(fmt.Errorf("ping disk store %s: %w", d.dir, err))
	}
	if err := root.Remove(name); err != nil {
		return unavailable(fmt.Errorf("ping disk store %s: %w", d.dir, err))
	}
	return nil
}

func diskErr(op, key string, err error) error {
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("%s %s: %w", op, key, &apperr.Error{Code: apperr.NotFound, Detail: "file not found", Err: err})
	}
	return unavailable(fmt.Errorf("%s %s: %w", op, key, err))
}

func unavailable(err error) error {
	return &apperr.Error{Code: apperr.Unavailable, Detail: "file storage is unavailable", Err: err}
}

// ctxReader stops a long copy when the request is cancelled.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
