package bench

import (
	"context"
	"net"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/cases"
	"github.com/caseroom/caseroom/pkg/db"
)

// bareCase is a case row with its figures, as the bare handler returns it.
type bareCase struct {
	ID            int64  `bun:"id" json:"id"`
	Name          string `bun:"name" json:"name"`
	Status        string `bun:"status" json:"status"`
	OwnerID       int64  `bun:"owner_id" json:"ownerId"`
	Revenue       int64  `bun:"revenue" json:"revenue"`
	Billed        int64  `bun:"billed" json:"billed"`
	Uninvoiced    int64  `bun:"uninvoiced" json:"uninvoiced"`
	LaborExpenses int64  `bun:"labor_expenses" json:"laborExpenses"`
	OtherExpenses int64  `bun:"other_expenses" json:"otherExpenses"`
}

// startBare serves GET /cases: the first page of cases with their figures, the same two
// queries as the API's list (ids of the page, then the page's rows with figures), with no
// authorization, no rights scope and no JSON:API layer. It is the bench's yardstick.
func startBare(ctx context.Context, dbURL string) (string, func(), error) {
	database, err := db.Open(dbURL)
	if err != nil {
		return "", nil, err
	}
	app := fiber.New(fiber.Config{DisableStartupMessage: true})
	app.Get("/cases", func(c *fiber.Ctx) error {
		var ids []int64
		if err := database.NewSelect().TableExpr("cases AS c").Column("c.id").OrderExpr("c.id").Limit(50).Scan(c.UserContext(), &ids); err != nil {
			return err
		}
		rows := make([]bareCase, 0, len(ids))
		if len(ids) > 0 {
			err := database.NewSelect().TableExpr("cases AS c").ColumnExpr("c.id, c.name, c.status, c.owner_id").
				Apply(cases.FigureColumns).Where("c.id IN (?)", bun.In(ids)).OrderExpr("c.id").Scan(c.UserContext(), &rows)
			if err != nil {
				return err
			}
		}
		return c.JSON(rows)
	})
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		database.Close()
		return "", nil, err
	}
	go app.Listener(l) //nolint:errcheck // ends with Shutdown
	stop := func() {
		_ = app.ShutdownWithTimeout(5 * time.Second)
		database.Close()
	}
	return "http://" + l.Addr().String(), stop, nil
}
