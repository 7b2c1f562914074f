import { z } from "zod";
import { lineText, multilineText } from "~/lib/text";

/** The review form (browser-safe: the component validates with it too). */
export const reviewSchema = z.object({
  rating: z.coerce
    .number({ invalid_type_error: "Choose a rating from 1 to 5 stars" })
    .int("Choose a rating from 1 to 5 stars")
    .min(1, "Choose a rating from 1 to 5 stars")
    .max(5, "Choose a rating from 1 to 5 stars"),
  title: lineText("Give your review a title").min(3, "Give your review a title").max(120, "Keep the title under 120 characters"),
  body: multilineText().trim().max(2000, "Keep the review under 2,000 characters").default(""),
});
