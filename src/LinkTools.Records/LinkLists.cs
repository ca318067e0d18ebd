// The list types of list-valued properties (LinkInfo.Chain and HardLinkNames, the summaries' Roots and
// RulesRun): indexable and enumerable like the arrays they hold, with readable text (ToString, used by
// Export-Csv, ConvertTo-Csv and the list views). The same behaviour as the PowerShell classes of the
// same names in module/Private/ConvertTo-LinkObject.ps1, which the PowerShell path uses.

using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;

namespace LinkTools.Records
{
    internal static class Text
    {
        /// <summary>PowerShell's [string]$value: '' for null, invariant culture for numbers.</summary>
        internal static string Of(object value)
        {
            if (value == null) return string.Empty;
            string s = value as string;
            if (s != null) return s;
            return (string)LanguagePrimitives.ConvertTo(value, typeof(string), CultureInfo.InvariantCulture);
        }

        /// <summary>PowerShell's $item.Name: the property's value, or null.</summary>
        internal static object Member(object item, string name)
        {
            if (item == null) return null;
            PSPropertyInfo p = PSObject.AsPSObject(item).Properties[name];
            return p == null ? null : p.Value;
        }
    }

    /// <summary>The links followed, one hop each (Path, Kind, Target, ResolvedTarget): 'a -> b -> c'.</summary>
    public sealed class LinkChainList : List<object>
    {
        public LinkChainList(IEnumerable<object> hops) : base(hops) { }

        public override string ToString()
        {
            if (Count == 0) return string.Empty;
            var names = new List<string>(Count + 1);
            foreach (object hop in this) names.Add(Text.Of(Text.Member(hop, "Path")));
            object last = this[Count - 1];
            object resolved = Text.Member(last, "ResolvedTarget");
            if (resolved != null) names.Add(Text.Of(resolved));
            else
            {
                object target = Text.Member(last, "Target");
                if (target != null) names.Add(Text.Of(target));
            }
            return string.Join(" -> ", names);
        }
    }

    /// <summary>Names or paths: 'a; b; c'.</summary>
    public sealed class LinkNameList : List<object>
    {
        public LinkNameList(IEnumerable<object> items) : base(items) { }

        public override string ToString()
        {
            var names = new List<string>(Count);
            foreach (object item in this) names.Add(Text.Of(item));
            return string.Join("; ", names);
        }
    }
}
