// Property names: the contract's camelCase name -> the module's PowerShell name, looked up straight
// from the JSON text (no string per key for names seen before). The mapping itself is the module's
// ($script:LinkPropertyNames in module/Private/ConvertTo-LinkObject.ps1), passed in by the module.

using System;
using System.Collections;
using System.Collections.Generic;

namespace LinkTools.Records
{
    internal sealed class NameTable
    {
        private struct Entry
        {
            internal string Raw;
            internal string Mapped;
            internal int Hash;
        }

        private const int Capacity = 4096; // power of two
        private const int MaxEntries = Capacity / 2;
        private readonly Entry[] _entries = new Entry[Capacity];
        private readonly Dictionary<string, string> _map = new Dictionary<string, string>(StringComparer.Ordinal);
        private int _count;

        internal NameTable(IDictionary map)
        {
            foreach (DictionaryEntry e in map)
            {
                string from = e.Key as string;
                string to = e.Value as string;
                if (string.IsNullOrEmpty(from) || string.IsNullOrEmpty(to)) throw new ArgumentException("property names must be non-empty strings");
                _map[from] = to;
            }
        }

        private static int HashOf(string text, int start, int length)
        {
            unchecked
            {
                int h = (int)2166136261;
                for (int i = start; i < start + length; i++) h = (h ^ text[i]) * 16777619;
                return h;
            }
        }

        /// <summary>The name written at text[start, start+length) (no escapes): mapped when renamable.</summary>
        internal string Get(string text, int start, int length, bool renamable)
        {
            int hash = HashOf(text, start, length);
            int slot = hash & (Capacity - 1);
            while (true)
            {
                Entry e = _entries[slot];
                if (e.Raw == null) break;
                if (e.Hash == hash && e.Raw.Length == length && string.CompareOrdinal(e.Raw, 0, text, start, length) == 0)
                    return renamable ? e.Mapped : e.Raw;
                slot = (slot + 1) & (Capacity - 1);
            }
            string raw = text.Substring(start, length);
            string mapped;
            if (!_map.TryGetValue(raw, out mapped)) mapped = raw;
            if (_count < MaxEntries)
            {
                _entries[slot] = new Entry { Raw = raw, Mapped = mapped, Hash = hash };
                _count++;
            }
            return renamable ? mapped : raw;
        }
    }
}
