// Package provider implements the calinks Terraform/OpenTofu provider.
package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var _ provider.Provider = &calinksProvider{}

type calinksProvider struct {
	version string
}

// New returns a constructor of the provider for providerserver.
func New(version string) func() provider.Provider {
	return func() provider.Provider {
		return &calinksProvider{version: version}
	}
}

type providerModel struct {
	Region      types.String      `tfsdk:"region"`
	Profile     types.String      `tfsdk:"profile"`
	Endpoint    types.String      `tfsdk:"endpoint"`
	MaxAttempts types.Int64       `tfsdk:"max_attempts"`
	RetryMode   types.String      `tfsdk:"retry_mode"`
	AssumeRole  *assumeRoleModel  `tfsdk:"assume_role"`
	DefaultTags *defaultTagsModel `tfsdk:"default_tags"`
}

type assumeRoleModel struct {
	RoleARN     types.String `tfsdk:"role_arn"`
	SessionName types.String `tfsdk:"session_name"`
	ExternalID  types.String `tfsdk:"external_id"`
}

type defaultTagsModel struct {
	Tags types.Map `tfsdk:"tags"`
}

func (p *calinksProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "calinks"
	resp.Version = p.version
}

func (p *calinksProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "The calinks provider manages Calinks' composite AWS resources. " +
			"It uses the standard AWS credential chain (environment, shared config and credentials files, SSO, " +
			"container and instance roles).",
		Attributes: map[string]schema.Attribute{
			"region": schema.StringAttribute{
				MarkdownDescription: "AWS region. Defaults to `AWS_REGION` / `AWS_DEFAULT_REGION` or the profile's region.",
				Optional:            true,
			},
			"profile": schema.StringAttribute{
				MarkdownDescription: "Named profile of the shared AWS config files. Defaults to `AWS_PROFILE`.",
				Optional:            true,
			},
			"endpoint": schema.StringAttribute{
				MarkdownDescription: "One endpoint URL for every AWS service, for LocalStack-compatible emulators " +
					"(for example `http://127.0.0.1:4566`). Defaults to `AWS_ENDPOINT_URL`; unset means the real AWS endpoints.",
				Optional:   true,
				Validators: []validator.String{httpURLValidator{}},
			},
			"max_attempts": schema.Int64Attribute{
				MarkdownDescription: "Maximum attempts of one AWS API call, first try included. Default `25`. " +
					"Set it low (2) against an emulator that answers unimplemented APIs with HTTP 500.",
				Optional:   true,
				Validators: []validator.Int64{int64validator.Between(1, 100)},
			},
			"retry_mode": schema.StringAttribute{
				MarkdownDescription: "Retry mode of the AWS SDK: `adaptive` (default, client-side rate limiting on throttling) or `standard`.",
				Optional:            true,
				Validators:          []validator.String{stringvalidator.OneOf(retryModeAdaptive, retryModeStandard)},
			},
		},
		Blocks: map[string]schema.Block{
			"assume_role": schema.SingleNestedBlock{
				MarkdownDescription: "Role to assume with the credentials of the chain.",
				Attributes: map[string]schema.Attribute{
					"role_arn": schema.StringAttribute{
						MarkdownDescription: "ARN of the role to assume.",
						Optional:            true,
						Validators:          []validator.String{arnValidator{service: "iam", resourcePrefix: "role/"}},
					},
					"session_name": schema.StringAttribute{
						MarkdownDescription: "Session name of the assumed role. Default `terraform-provider-calinks`.",
						Optional:            true,
						Validators:          []validator.String{stringvalidator.LengthBetween(2, 64)},
					},
					"external_id": schema.StringAttribute{
						MarkdownDescription: "External ID the role's trust policy requires.",
						Optional:            true,
						Validators:          []validator.String{stringvalidator.LengthBetween(2, 1224)},
					},
				},
			},
			"default_tags": schema.SingleNestedBlock{
				MarkdownDescription: "Tags added to every taggable AWS object the provider creates; resource tags win.",
				Attributes: map[string]schema.Attribute{
					"tags": schema.MapAttribute{
						MarkdownDescription: "Tag map.",
						ElementType:         types.StringType,
						Optional:            true,
					},
				},
			},
		},
	}
}

func (p *calinksProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var cfg providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	settings, known := clientSettingsFrom(ctx, cfg)
	if !known {
		// A value depends on a resource not created yet. Terraform plans the
		// dependent resources as to be created; they get a client once the
		// configuration is known (apply), so plan goes on without one.
		return
	}
	clients, err := newAWSClients(ctx, settings)
	if err != nil {
		resp.Diagnostics.AddError("Cannot configure AWS clients", err.Error())
		return
	}
	resp.ResourceData = clients
}

func (p *calinksProvider) Resources(_ context.Context) []func() resource.Resource {
	return []func() resource.Resource{
		NewWorkerPipelineResource,
	}
}

func (p *calinksProvider) DataSources(_ context.Context) []func() datasource.DataSource {
	return nil
}
