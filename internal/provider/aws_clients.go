package provider

import (
	"context"
	"fmt"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/service/applicationautoscaling"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

const (
	retryModeAdaptive  = "adaptive"
	retryModeStandard  = "standard"
	defaultMaxAttempts = 25
	defaultSessionName = "terraform-provider-calinks"
)

// clientSettings is the provider configuration once every value is known.
type clientSettings struct {
	region, profile, endpoint        string
	maxAttempts                      int
	retryMode                        string
	roleARN, sessionName, externalID string
	defaultTags                      map[string]string
}

// awsClients is handed to resources through ResourceData.
type awsClients struct {
	sqs         *sqs.Client
	sns         *sns.Client
	ecs         *ecs.Client
	autoscaling *applicationautoscaling.Client
	defaultTags map[string]string
	// deletedQueues holds the names of the queues this provider process
	// deleted: SQS may still answer GetQueueUrl for one for up to 60 s
	// (DeleteQueue API reference), which a create right after (a tainted
	// pipeline's replacement) must not take for another owner's queue.
	deletedQueues sync.Map
	// sweptFamilies holds the task definition families whose revisions this
	// process deregistered on a delete: ListTaskDefinitions may still list
	// them as ACTIVE for a moment, which the replacement's create must not
	// take for another owner's.
	sweptFamilies sync.Map
}

// clientSettingsFrom converts the provider model; known is false when any
// value is still unknown at plan time.
func clientSettingsFrom(ctx context.Context, cfg providerModel) (s clientSettings, known bool) {
	values := []interface{ IsUnknown() bool }{cfg.Region, cfg.Profile, cfg.Endpoint, cfg.MaxAttempts, cfg.RetryMode}
	if cfg.AssumeRole != nil {
		values = append(values, cfg.AssumeRole.RoleARN, cfg.AssumeRole.SessionName, cfg.AssumeRole.ExternalID)
	}
	if cfg.DefaultTags != nil {
		values = append(values, cfg.DefaultTags.Tags)
	}
	for _, v := range values {
		if v.IsUnknown() {
			return s, false
		}
	}
	s = clientSettings{
		region:      cfg.Region.ValueString(),
		profile:     cfg.Profile.ValueString(),
		endpoint:    cfg.Endpoint.ValueString(),
		maxAttempts: defaultMaxAttempts,
		retryMode:   retryModeAdaptive,
		sessionName: defaultSessionName,
	}
	if !cfg.MaxAttempts.IsNull() {
		s.maxAttempts = int(cfg.MaxAttempts.ValueInt64())
	}
	if !cfg.RetryMode.IsNull() {
		s.retryMode = cfg.RetryMode.ValueString()
	}
	if cfg.AssumeRole != nil {
		s.roleARN = cfg.AssumeRole.RoleARN.ValueString()
		s.externalID = cfg.AssumeRole.ExternalID.ValueString()
		if !cfg.AssumeRole.SessionName.IsNull() {
			s.sessionName = cfg.AssumeRole.SessionName.ValueString()
		}
	}
	if cfg.DefaultTags != nil {
		s.defaultTags = stringMap(ctx, cfg.DefaultTags.Tags)
	}
	return s, true
}

// userAgentAppID is the application ID the SDK puts in every call's User-Agent.
const userAgentAppID = "terraform-provider-calinks"

func newAWSClients(ctx context.Context, s clientSettings) (*awsClients, error) {
	opts := []func(*config.LoadOptions) error{
		// Names this provider in the User-Agent (app/...), as CloudTrail records it.
		config.WithAppID(userAgentAppID),
		config.WithRetryer(func() aws.Retryer {
			if s.retryMode == retryModeStandard {
				return retry.NewStandard(func(o *retry.StandardOptions) { o.MaxAttempts = s.maxAttempts })
			}
			return retry.NewAdaptiveMode(func(o *retry.AdaptiveModeOptions) {
				o.StandardOptions = append(o.StandardOptions, func(so *retry.StandardOptions) { so.MaxAttempts = s.maxAttempts })
			})
		}),
	}
	if s.region != "" {
		opts = append(opts, config.WithRegion(s.region))
	}
	if s.profile != "" {
		opts = append(opts, config.WithSharedConfigProfile(s.profile))
	}
	// AWS_ENDPOINT_URL is read by the SDK itself; an explicit endpoint wins.
	if s.endpoint != "" {
		opts = append(opts, config.WithBaseEndpoint(s.endpoint))
	}
	cfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return nil, fmt.Errorf("loading AWS configuration: %w", err)
	}
	if cfg.Region == "" {
		return nil, fmt.Errorf("no AWS region: set the provider's region, AWS_REGION or a profile region")
	}
	if s.roleARN != "" {
		assumer := stscreds.NewAssumeRoleProvider(sts.NewFromConfig(cfg), s.roleARN, func(o *stscreds.AssumeRoleOptions) {
			o.RoleSessionName = s.sessionName
			if s.externalID != "" {
				o.ExternalID = aws.String(s.externalID)
			}
		})
		cfg.Credentials = aws.NewCredentialsCache(assumer)
	}
	return &awsClients{
		sqs:         sqs.NewFromConfig(cfg),
		sns:         sns.NewFromConfig(cfg),
		ecs:         ecs.NewFromConfig(cfg),
		autoscaling: applicationautoscaling.NewFromConfig(cfg),
		defaultTags: s.defaultTags,
	}, nil
}

func stringMap(ctx context.Context, m types.Map) map[string]string {
	out := map[string]string{}
	if m.IsNull() || m.IsUnknown() {
		return out
	}
	m.ElementsAs(ctx, &out, false)
	return out
}
