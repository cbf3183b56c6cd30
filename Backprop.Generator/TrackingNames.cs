namespace Backprop.Generator;

/// <summary>Step names shared by <c>WithTrackingName</c> and the caching tests.</summary>
internal static class TrackingNames
{
    public const string Parse = nameof(Parse);
    public const string Differentiate = nameof(Differentiate);
    public const string Models = nameof(Models);
}
