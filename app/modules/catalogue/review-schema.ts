import { z } from "zod";

/** The review form (browser-safe: the component validates with it too). */
export const reviewSchema = z.object({
  rating: z.coerce
    .number({ invalid_type_error: "Choose a rating from 1 to 5 stars" })
    .int("Choose a rating from 1 to 5 stars")
    .min(1, "Choose a rating from 1 to 5 stars")
    .max(5, "Choose a rating from 1 to 5 stars"),
  title: z
    .string({ required_error: "Give your review a title" })
    .trim()
    .min(3, "Give your review a title")
    .max(120, "Keep the title under 120 characters"),
  body: z.string().trim().max(2000, "Keep the review under 2,000 characters").default(""),
});
