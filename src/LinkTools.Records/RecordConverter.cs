// Engine JSON lines -> the typed PowerShell objects Find-Link and Invoke-LinkAudit write, in one call
// per batch. The same result as the module's PowerShell path (module/Private/Get-LinkScanArgument.ps1
// Read-LinkEngineBatch: ConvertFrom-LinkRecordJson, then ConvertTo-LinkObject), several times faster:
// no key renaming over the text, no ConvertFrom-Json, no per-record script.
//
// Convert returns null when any line of the batch is something this converter does not reproduce
// exactly (see JsonRecordReader: not a JSON object, a date-like string, a huge number, ...); the module
// then converts that batch the PowerShell way, which also reports a line that is not a record.

using System;
using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;

namespace LinkTools.Records
{
    public sealed class RecordConverter
    {
        private readonly JsonRecordReader _reader;
        private readonly Dictionary<string, string> _typeNames = new Dictionary<string, string>(StringComparer.Ordinal);

        /// <param name="propertyNames">camelCase contract name -> PowerShell property name.</param>
        /// <param name="typeNames">recordType -> PSTypeName (others get 'LinkTools.' + recordType).</param>
        /// <param name="desktopNumbers">Type numbers as Windows PowerShell 5.1's ConvertFrom-Json does.</param>
        public RecordConverter(IDictionary propertyNames, IDictionary typeNames, bool desktopNumbers)
        {
            if (propertyNames == null) throw new ArgumentNullException("propertyNames");
            if (typeNames == null) throw new ArgumentNullException("typeNames");
            _reader = new JsonRecordReader(new NameTable(propertyNames), desktopNumbers, Finish);
            foreach (DictionaryEntry e in typeNames)
            {
                string from = e.Key as string;
                string to = e.Value as string;
                if (string.IsNullOrEmpty(from) || string.IsNullOrEmpty(to)) throw new ArgumentException("type names must be non-empty strings");
                _typeNames[from] = to;
            }
            DesktopNumbers = desktopNumbers;
        }

        public bool DesktopNumbers { get; private set; }

        /// <summary>The contract of Convert; the module checks it before it uses this assembly.</summary>
        public static int ApiVersion { get { return 1; } }

        /// <summary>How many lines the last Convert left to the PowerShell path (null in its result).</summary>
        public int Unhandled { get; private set; }

        /// <summary>Why the last Convert left its first line to the PowerShell path (for -Debug output and tests).</summary>
        public string LastReason { get; private set; }

        /// <summary>
        /// Read-LinkEngineBatch's line splitting: the lines of text[0, end) (split at '\n', each
        /// trimmed, empty ones dropped) appended to lines; returns how many characters they hold.
        /// </summary>
        public int AddLines(string text, int end, IList<string> lines)
        {
            if (text == null) throw new ArgumentNullException("text");
            if (lines == null) throw new ArgumentNullException("lines");
            if (end < 0 || end > text.Length) throw new ArgumentOutOfRangeException("end");
            int chars = 0;
            int start = 0;
            while (start <= end)
            {
                int nl = text.IndexOf('\n', start, end - start);
                int stop = nl < 0 ? end : nl;
                int a = start, b = stop;
                while (a < b && char.IsWhiteSpace(text[a])) a++;
                while (b > a && char.IsWhiteSpace(text[b - 1])) b--;
                if (b > a)
                {
                    lines.Add(text.Substring(a, b - a));
                    chars += b - a;
                }
                if (nl < 0) break;
                start = nl + 1;
            }
            return chars;
        }

        /// <summary>
        /// The lines' records, typed, in order. A line this converter does not reproduce exactly is left
        /// null (Unhandled counts them, LastReason says why for the first): the module converts those
        /// lines the PowerShell way, which also reports a line that is not a record.
        /// </summary>
        public object[] Convert(IList<string> lines)
        {
            if (lines == null) throw new ArgumentNullException("lines");
            Unhandled = 0;
            LastReason = null;
            var records = new object[lines.Count];
            for (int i = 0; i < records.Length; i++)
            {
                try
                {
                    string line = lines[i];
                    if (line == null) throw new NotHandledException("null line");
                    records[i] = _reader.ReadRecord(line);
                }
                catch (Exception e)
                {
                    // NotHandledException, or PowerShell refusing a member (a property name twice in any
                    // casing, as ConvertFrom-Json refuses it too; an empty name): the PowerShell path decides.
                    if (Unhandled == 0) LastReason = "line " + (i + 1) + ": " + e.Message;
                    Unhandled++;
                    records[i] = null;
                }
            }
            return records;
        }

        // The record's properties the finishing touches use, by name (PowerShell's $r.Name: any casing).
        private enum Slot { RecordType, Chain, Kind, TargetExists, HardLinkNames, Reparse, Remote, Details, Before, After, ByKind, ByRule, BySeverity, Roots, RulesRun, Count }

        private static readonly Dictionary<string, Slot> s_slots = MakeSlots();
        private readonly PSNoteProperty[] _slot = new PSNoteProperty[(int)Slot.Count];

        private static Dictionary<string, Slot> MakeSlots()
        {
            var d = new Dictionary<string, Slot>(StringComparer.OrdinalIgnoreCase);
            for (Slot s = 0; s < Slot.Count; s++) d[s.ToString()] = s;
            return d;
        }

        private void FindSlots(List<PSNoteProperty> top)
        {
            Array.Clear(_slot, 0, _slot.Length);
            foreach (PSNoteProperty p in top)
            {
                Slot s;
                if (!s_slots.TryGetValue(p.Name, out s)) continue;
                // Another casing than the module's own name: not from the key renaming; not handled.
                if (!string.Equals(p.Name, s.ToString(), StringComparison.Ordinal)) throw new NotHandledException("property '" + p.Name + "' in another casing");
                _slot[(int)s] = p;
            }
        }

        private PSNoteProperty Property(Slot s)
        {
            return _slot[(int)s];
        }

        private object ValueOf(Slot s)
        {
            PSNoteProperty p = _slot[(int)s];
            return p == null ? null : p.Value;
        }

        /// <summary>A name PowerShell's case-insensitive, culture-aware comparisons would treat as ordinal.</summary>
        private static bool IsPlainName(string s)
        {
            foreach (char c in s)
            {
                if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.')) return false;
            }
            return true;
        }

        /// <summary>
        /// Whether value is exactly word. A string PowerShell's -eq would match only in another casing
        /// (or through culture rules) is not handled.
        /// </summary>
        private static bool Is(string value, string word)
        {
            if (string.Equals(value, word, StringComparison.Ordinal)) return true;
            if (!IsPlainName(value) || string.Equals(value, word, StringComparison.OrdinalIgnoreCase)) throw new NotHandledException("'" + value + "' differs from '" + word + "' only in casing");
            return false;
        }

        private static void AddTypeName(object value, string typeName)
        {
            PSObject o = value as PSObject;
            if (o == null) throw new NotHandledException("a value to type is not an object");
            o.TypeNames.Insert(0, typeName);
        }

        private static List<object> Items(object value)
        {
            // PowerShell's @($value): an array's items, or the value itself.
            object[] array = value as object[];
            return array != null ? new List<object>(array) : new List<object> { value };
        }

        /// <summary>
        /// ConvertTo-LinkObject's finishing touches (module/Private/ConvertTo-LinkObject.ps1) on a
        /// record's properties, before they are added to it; returns the record's type name.
        /// </summary>
        private string Finish(List<PSNoteProperty> members)
        {
            FindSlots(members);
            PSNoteProperty typeProperty = Property(Slot.RecordType);
            if (typeProperty == null) throw new NotHandledException("no recordType");
            string recordType = typeProperty.Value as string;
            if (recordType == null || recordType.Length == 0 || !IsPlainName(recordType)) throw new NotHandledException("recordType is not a plain name");
            string typeName;
            if (!_typeNames.TryGetValue(recordType, out typeName))
            {
                foreach (string known in _typeNames.Keys)
                {
                    if (string.Equals(known, recordType, StringComparison.OrdinalIgnoreCase)) throw new NotHandledException("recordType in another casing");
                }
                typeName = "LinkTools." + recordType;
            }

            if (Is(recordType, "linkInfo"))
            {
                PSNoteProperty chain = Property(Slot.Chain);
                if (chain != null && chain.Value != null) chain.Value = new LinkChainList(Items(chain.Value));
                object kind = ValueOf(Slot.Kind);
                if (kind != null && !(kind is string)) throw new NotHandledException("kind is not a string");
                if (kind != null && Is((string)kind, "hardlink"))
                {
                    PSNoteProperty exists = Property(Slot.TargetExists);
                    if (exists == null) throw new NotHandledException("a hard link without targetExists");
                    exists.Value = Boxed.True;
                    PSNoteProperty names = Property(Slot.HardLinkNames);
                    if (names != null && names.Value != null) names.Value = new LinkNameList(Items(names.Value));
                }
                object reparse = ValueOf(Slot.Reparse);
                if (reparse != null) AddTypeName(reparse, "LinkTools.Reparse");
                object remote = ValueOf(Slot.Remote);
                if (remote != null) AddTypeName(remote, "LinkTools.Map");
            }
            else if (Is(recordType, "finding"))
            {
                object details = ValueOf(Slot.Details);
                if (details != null) AddTypeName(details, "LinkTools.Map");
            }
            else if (Is(recordType, "drift"))
            {
                object v = ValueOf(Slot.Before);
                if (v != null && !(v is string)) AddTypeName(v, "LinkTools.DriftSide");
                v = ValueOf(Slot.After);
                if (v != null && !(v is string)) AddTypeName(v, "LinkTools.DriftSide");
            }
            else if (Is(recordType, "scanSummary") || Is(recordType, "auditSummary"))
            {
                foreach (Slot name in new[] { Slot.ByKind, Slot.ByRule, Slot.BySeverity })
                {
                    object v = ValueOf(name);
                    if (v != null) AddTypeName(v, "LinkTools.Map");
                }
                foreach (Slot name in new[] { Slot.Roots, Slot.RulesRun })
                {
                    PSNoteProperty p = Property(name);
                    if (p != null && p.Value != null) p.Value = new LinkNameList(Items(p.Value));
                }
            }
            return typeName;
        }
    }
}
