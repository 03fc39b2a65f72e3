namespace Mic.Core.Store;

public enum ModelRefreshOutcome
{
    /// <summary>The store has no <c>latest.json</c> and nothing is loaded.</summary>
    NoModel,

    /// <summary>The published version is the one being served.</summary>
    Unchanged,

    /// <summary>A new version was loaded and is now served.</summary>
    Loaded,

    /// <summary>The published bundle is broken; the previous model (if any) keeps serving.</summary>
    Refused,
}
