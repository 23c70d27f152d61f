package gen

import (
	"context"
	"database/sql/driver"
	"fmt"

	"github.com/uptrace/bun"
)

// batchRows is how many rows one INSERT or COPY carries: enough that round trips do not
// dominate, few enough that a statement stays a few megabytes.
const batchRows = 5000

// writer is where the generated rows go: one transaction, and on PostgreSQL the connection
// that holds it, for COPY.
type writer struct {
	db bun.IDB
	// conn is set on PostgreSQL only.
	conn *bun.Conn
}

// insertRows writes rows in batches of batchRows: with COPY on PostgreSQL, which parses
// several times faster than a multi-row INSERT of the same rows, and with multi-row INSERTs
// elsewhere. Nothing is read back: the generator has assigned the ids (see sequence).
func insertRows[T any](ctx context.Context, w writer, what string, rows []T) error {
	for lo := 0; lo < len(rows); lo += batchRows {
		chunk := rows[lo:min(lo+batchRows, len(rows))]
		var err error
		if w.conn != nil {
			err = copyRows(ctx, *w.conn, chunk)
		} else {
			_, err = w.db.NewInsert().Model(&chunk).Returning("NULL").Exec(ctx)
		}
		if err != nil {
			return fmt.Errorf("insert %s %d to %d: %w", what, lo+1, lo+len(chunk), err)
		}
	}
	return nil
}

// inTransaction runs fn in one transaction, so that a failed run leaves nothing behind. On
// PostgreSQL it takes one connection and begins the transaction by hand: COPY needs the
// connection itself (pgdriver.CopyFrom), which a database/sql transaction does not hand out.
func inTransaction(ctx context.Context, d *bun.DB, postgres bool, fn func(context.Context, writer) error) error {
	if !postgres {
		return d.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error { return fn(ctx, writer{db: tx}) })
	}
	conn, err := d.Conn(ctx)
	if err != nil {
		return fmt.Errorf("connect: %w", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "BEGIN"); err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	if err := fn(ctx, writer{db: conn, conn: &conn}); err != nil {
		if _, rerr := conn.ExecContext(context.WithoutCancel(ctx), "ROLLBACK"); rerr != nil {
			// The connection is in an unknown state: drop it rather than return it to the pool.
			conn.Raw(func(any) error { return driver.ErrBadConn }) //nolint:errcheck
		}
		return err
	}
	if _, err := conn.ExecContext(ctx, "COMMIT"); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}
