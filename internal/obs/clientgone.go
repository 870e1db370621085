package obs

import (
	"context"
	"errors"
)

// StatusClientClosedRequest is nginx's 499: the client went away before
// the answer was ready. It is what the access log and metrics record for
// such a request, whatever the handler managed to write, because a client
// disconnect is not a server error.
const StatusClientClosedRequest = 499

// ClientGone reports whether err (or the request's failure) comes from
// the client going away: the request context was cancelled. Such errors
// are never captured as error groups nor logged as errors.
func ClientGone(ctx context.Context, err error) bool {
	return errors.Is(err, context.Canceled) || (ctx != nil && errors.Is(ctx.Err(), context.Canceled))
}
