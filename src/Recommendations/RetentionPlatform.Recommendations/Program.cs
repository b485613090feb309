using RetentionPlatform.Recommendations;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddRecommendationsServices();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapRecommendationsEndpoints();

app.Run();
