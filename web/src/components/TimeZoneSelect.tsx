import type { ComponentProps } from "react";
import { Select } from "@/components/ui/Input";
import { timeZoneLabel, timeZoneOptions } from "@/lib/timeZones";

/** A native select of IANA time zones; `include` keeps a zone the browser does not list selectable. */
export function TimeZoneSelect({ include, ...props }: ComponentProps<typeof Select> & { include?: string }) {
  return (
    <Select {...props}>
      {timeZoneOptions(include).map((zone) => (
        <option key={zone} value={zone}>
          {timeZoneLabel(zone)}
        </option>
      ))}
    </Select>
  );
}
