package provider

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/aws/smithy-go"
)

// retryWhen calls fn until it succeeds, returns an error retryable does not
// name, or timeout passes. The SDK already retries throttling and transient
// HTTP errors; this is only for the eventual-consistency errors a caller names.
func retryWhen(ctx context.Context, timeout time.Duration, retryable func(error) bool, fn func() error) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	delay := time.Second
	for {
		err := fn()
		if err == nil || !retryable(err) {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(delay):
		}
		delay = min(delay*2, 10*time.Second)
	}
}

// isAPIError reports whether err carries one of the AWS error codes and, when
// messagePart is not empty, whether its message contains it.
func isAPIError(err error, messagePart string, codes ...string) bool {
	var apiErr smithy.APIError
	if !errors.As(err, &apiErr) {
		return false
	}
	for _, c := range codes {
		if apiErr.ErrorCode() == c {
			return messagePart == "" || strings.Contains(apiErr.ErrorMessage(), messagePart)
		}
	}
	return false
}
