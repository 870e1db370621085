package obs

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
)

// PrintfLogger puts a library's Printf-style log lines (go-redis's
// redis.SetLogger takes one) into the application's slog logger, so they
// come out as JSON in production with the request id, instead of plain
// text on stderr beside the JSON lines.
type PrintfLogger struct {
	Logger *slog.Logger
	Source string     // the library, as the "source" attribute
	Level  slog.Level // the level its lines are logged at
}

// Printf logs one line.
func (p PrintfLogger) Printf(ctx context.Context, format string, v ...any) {
	if ctx == nil {
		ctx = context.Background()
	}
	p.Logger.Log(ctx, p.Level, strings.TrimSpace(fmt.Sprintf(format, v...)), "source", p.Source)
}
